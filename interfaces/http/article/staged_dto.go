package articlehttp

import (
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// seoRequest are the SEO and social fields of POST /admin/articles; og_image and twitter_image
// are URLs for now.
type seoRequest struct {
	CanonicalURL       string `json:"canonical_url"`
	OGTitle            string `json:"og_title"`
	OGDescription      string `json:"og_description"`
	OGImage            string `json:"og_image"`
	TwitterTitle       string `json:"twitter_title"`
	TwitterDescription string `json:"twitter_description"`
	TwitterImage       string `json:"twitter_image"`
	Noindex            bool   `json:"noindex"`
	Featured           bool   `json:"featured"`
}

func (r seoRequest) seo() article.SEO {
	return article.SEO{
		CanonicalURL: r.CanonicalURL, OGTitle: r.OGTitle, OGDescription: r.OGDescription, OGImageURL: r.OGImage,
		TwitterTitle: r.TwitterTitle, TwitterDescription: r.TwitterDescription, TwitterImageURL: r.TwitterImage,
		Noindex: r.Noindex,
	}
}

// seoPatch is the same in a merge patch: null clears a text field and sets a flag to false.
type seoPatch struct {
	CanonicalURL       bind.Optional[string] `json:"canonical_url"`
	OGTitle            bind.Optional[string] `json:"og_title"`
	OGDescription      bind.Optional[string] `json:"og_description"`
	OGImage            bind.Optional[string] `json:"og_image"`
	TwitterTitle       bind.Optional[string] `json:"twitter_title"`
	TwitterDescription bind.Optional[string] `json:"twitter_description"`
	TwitterImage       bind.Optional[string] `json:"twitter_image"`
	Noindex            bind.Optional[bool]   `json:"noindex"`
	Featured           bind.Optional[bool]   `json:"featured"`
}

func (p seoPatch) changes() (article.SEOChanges, *bool) {
	return article.SEOChanges{
		CanonicalURL: clearable(p.CanonicalURL), OGTitle: clearable(p.OGTitle), OGDescription: clearable(p.OGDescription),
		OGImageURL: clearable(p.OGImage), TwitterTitle: clearable(p.TwitterTitle),
		TwitterDescription: clearable(p.TwitterDescription), TwitterImageURL: clearable(p.TwitterImage),
		Noindex: flag(p.Noindex),
	}, flag(p.Featured)
}

// flag is nil when absent and points at the value otherwise (false for null).
func flag(o bind.Optional[bool]) *bool {
	if !o.Set {
		return nil
	}
	v := o.Value
	return &v
}

// seoFields are the SEO fields of an article as editors set them ("" when unset).
type seoFields struct {
	CanonicalURL       string `json:"canonical_url"`
	OGTitle            string `json:"og_title"`
	OGDescription      string `json:"og_description"`
	OGImage            string `json:"og_image"`
	TwitterTitle       string `json:"twitter_title"`
	TwitterDescription string `json:"twitter_description"`
	TwitterImage       string `json:"twitter_image"`
	Noindex            bool   `json:"noindex"`
}

func toSEOFields(s article.SEO) seoFields {
	return seoFields{
		CanonicalURL: s.CanonicalURL, OGTitle: s.OGTitle, OGDescription: s.OGDescription, OGImage: s.OGImageURL,
		TwitterTitle: s.TwitterTitle, TwitterDescription: s.TwitterDescription, TwitterImage: s.TwitterImageURL,
		Noindex: s.Noindex,
	}
}

// resolvedSEO is what the public API answers: every fallback applied, null only where no
// fallback has a value.
type resolvedSEO struct {
	CanonicalURL       *string `json:"canonical_url"`
	OGTitle            string  `json:"og_title"`
	OGDescription      string  `json:"og_description"`
	OGImage            *string `json:"og_image"`
	TwitterTitle       string  `json:"twitter_title"`
	TwitterDescription string  `json:"twitter_description"`
	TwitterImage       *string `json:"twitter_image"`
	Noindex            bool    `json:"noindex"`
}

func toResolvedSEO(r article.ResolvedSEO) resolvedSEO {
	return resolvedSEO{
		CanonicalURL: orNull(r.CanonicalURL), OGTitle: r.OGTitle, OGDescription: r.OGDescription,
		OGImage: orNull(r.OGImageURL), TwitterTitle: r.TwitterTitle, TwitterDescription: r.TwitterDescription,
		TwitterImage: orNull(r.TwitterImageURL), Noindex: r.Noindex,
	}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// pendingResponse is the pending changes of a published or scheduled article.
type pendingResponse struct {
	Slug               string   `json:"slug"`
	Title              string   `json:"title"`
	Excerpt            string   `json:"excerpt"`
	BodyMarkdown       string   `json:"body_markdown"`
	BodyHTML           string   `json:"body_html"`
	CoverImageURL      string   `json:"cover_image_url"`
	MetaTitle          string   `json:"meta_title"`
	MetaDescription    string   `json:"meta_description"`
	ReadingTimeMinutes int      `json:"reading_time_minutes"`
	Tags               []tagRef `json:"tags"`
	Featured           bool     `json:"featured"`
	seoFields
}

// stagedFields are what the management API adds about staged changes.
type stagedFields struct {
	HasPendingChanges  bool             `json:"has_pending_changes"`
	Pending            *pendingResponse `json:"pending"`
	ChangesScheduledAt *time.Time       `json:"changes_scheduled_at"`
}

func toStaged(d articleapp.ArticleDetail) stagedFields {
	out := stagedFields{HasPendingChanges: d.Pending != nil, ChangesScheduledAt: d.ChangesScheduledAt}
	if p := d.Pending; p != nil {
		out.Pending = &pendingResponse{
			Slug: p.Slug, Title: p.Title, Excerpt: p.Excerpt, BodyMarkdown: p.BodyMarkdown, BodyHTML: p.BodyHTML,
			CoverImageURL: p.CoverImageURL, MetaTitle: p.MetaTitle, MetaDescription: p.MetaDescription,
			ReadingTimeMinutes: p.ReadingTimeMinutes, Tags: toTagRefs(p.Tags), Featured: p.Featured,
			seoFields: toSEOFields(p.SEO),
		}
	}
	return out
}

// previewTokenRequest is POST /admin/articles/{id}/preview-tokens; expires_in is in seconds.
type previewTokenRequest struct {
	ExpiresIn *int64 `json:"expires_in"`
}

type previewTokenResponse struct {
	ID        string    `json:"id"`
	ArticleID string    `json:"article_id"`
	CreatedBy *string   `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// createdPreviewTokenResponse shows the secret, once, and the ready link when site.preview_url
// is set.
type createdPreviewTokenResponse struct {
	previewTokenResponse
	Token      string  `json:"token"`
	PreviewURL *string `json:"preview_url"`
}

func toPreviewToken(v articleapp.PreviewTokenView) previewTokenResponse {
	return previewTokenResponse{
		ID: v.ID, ArticleID: v.ArticleID, CreatedBy: orNull(v.CreatedBy), CreatedAt: v.CreatedAt, ExpiresAt: v.ExpiresAt,
	}
}
