package persistence

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// The columns of issue 16 (migration 00012): the SEO fields and featured, the pending changes of
// a staged article as one JSON document, and when they are scheduled. articleModel embeds them.
type articleSEOColumns struct {
	CanonicalURL       string     `gorm:"column:canonical_url"`
	OGTitle            string     `gorm:"column:og_title"`
	OGDescription      string     `gorm:"column:og_description"`
	OGImageURL         string     `gorm:"column:og_image_url"`
	TwitterTitle       string     `gorm:"column:twitter_title"`
	TwitterDescription string     `gorm:"column:twitter_description"`
	TwitterImageURL    string     `gorm:"column:twitter_image_url"`
	Noindex            bool       `gorm:"column:noindex"`
	Featured           bool       `gorm:"column:featured"`
	PendingChanges     *string    `gorm:"column:pending_changes"`
	ChangesScheduledAt *time.Time `gorm:"column:changes_scheduled_at"`
}

// seoDocument is the JSON form of the SEO fields and featured: the pending changes and the
// revisions keep them so.
type seoDocument struct {
	CanonicalURL       string `json:"canonical_url,omitempty"`
	OGTitle            string `json:"og_title,omitempty"`
	OGDescription      string `json:"og_description,omitempty"`
	OGImageURL         string `json:"og_image_url,omitempty"`
	TwitterTitle       string `json:"twitter_title,omitempty"`
	TwitterDescription string `json:"twitter_description,omitempty"`
	TwitterImageURL    string `json:"twitter_image_url,omitempty"`
	Noindex            bool   `json:"noindex,omitempty"`
	Featured           bool   `json:"featured,omitempty"`
}

func seoDocumentOf(s article.SEO, featured bool) seoDocument {
	return seoDocument{
		CanonicalURL: s.CanonicalURL, OGTitle: s.OGTitle, OGDescription: s.OGDescription, OGImageURL: s.OGImageURL,
		TwitterTitle: s.TwitterTitle, TwitterDescription: s.TwitterDescription, TwitterImageURL: s.TwitterImageURL,
		Noindex: s.Noindex, Featured: featured,
	}
}

func (d seoDocument) seo() article.SEO {
	return article.SEO{
		CanonicalURL: d.CanonicalURL, OGTitle: d.OGTitle, OGDescription: d.OGDescription, OGImageURL: d.OGImageURL,
		TwitterTitle: d.TwitterTitle, TwitterDescription: d.TwitterDescription, TwitterImageURL: d.TwitterImageURL,
		Noindex: d.Noindex,
	}
}

// pendingDocument is the JSON form of article.PendingChanges in articles.pending_changes.
type pendingDocument struct {
	Slug               string      `json:"slug"`
	Title              string      `json:"title"`
	Excerpt            string      `json:"excerpt"`
	ExcerptIsDerived   bool        `json:"excerpt_is_derived"`
	BodyMarkdown       string      `json:"body_markdown"`
	BodyHTML           string      `json:"body_html"`
	BodyText           string      `json:"body_text"`
	ReadingTimeMinutes int         `json:"reading_time_minutes"`
	CoverImageURL      string      `json:"cover_image_url"`
	MetaTitle          string      `json:"meta_title"`
	MetaDescription    string      `json:"meta_description"`
	TagIDs             []string    `json:"tag_ids"`
	SEO                seoDocument `json:"seo"`
}

// seoColumnsOf maps the SEO fields, featured and the pending changes of s to their columns.
func seoColumnsOf(s article.State) articleSEOColumns {
	c := articleSEOColumns{
		CanonicalURL: s.SEO.CanonicalURL, OGTitle: s.SEO.OGTitle, OGDescription: s.SEO.OGDescription,
		OGImageURL: s.SEO.OGImageURL, TwitterTitle: s.SEO.TwitterTitle, TwitterDescription: s.SEO.TwitterDescription,
		TwitterImageURL: s.SEO.TwitterImageURL, Noindex: s.SEO.Noindex, Featured: s.Featured,
		ChangesScheduledAt: utcOrNil(s.ChangesScheduledAt),
	}
	if p := s.Pending; p != nil {
		// Marshalling strings, bools and a string slice cannot fail.
		raw, _ := json.Marshal(pendingDocument{
			Slug: p.Slug, Title: p.Title, Excerpt: p.Excerpt, ExcerptIsDerived: p.ExcerptIsDerived,
			BodyMarkdown: p.BodyMarkdown, BodyHTML: p.BodyHTML, BodyText: p.BodyText, ReadingTimeMinutes: p.ReadingTimeMinutes,
			CoverImageURL: p.CoverImageURL, MetaTitle: p.MetaTitle, MetaDescription: p.MetaDescription, TagIDs: p.TagIDs,
			SEO: seoDocumentOf(p.SEO, p.Featured),
		})
		doc := string(raw)
		c.PendingChanges = &doc
	}
	return c
}

// into sets the SEO fields, featured and the pending changes of s from the columns.
func (c articleSEOColumns) into(s *article.State) error {
	s.SEO = article.SEO{
		CanonicalURL: c.CanonicalURL, OGTitle: c.OGTitle, OGDescription: c.OGDescription, OGImageURL: c.OGImageURL,
		TwitterTitle: c.TwitterTitle, TwitterDescription: c.TwitterDescription, TwitterImageURL: c.TwitterImageURL,
		Noindex: c.Noindex,
	}
	s.Featured = c.Featured
	s.ChangesScheduledAt = utcOrNil(c.ChangesScheduledAt)
	p, err := decodePending(c.PendingChanges)
	s.Pending = p
	return err
}

func decodePending(raw *string) (*article.PendingChanges, error) {
	if raw == nil {
		return nil, nil
	}
	var d pendingDocument
	if err := json.Unmarshal([]byte(*raw), &d); err != nil {
		return nil, fmt.Errorf("decode pending changes: %w", err)
	}
	if len(d.TagIDs) == 0 {
		d.TagIDs = nil
	}
	return &article.PendingChanges{
		Slug: d.Slug, Title: d.Title, Excerpt: d.Excerpt, ExcerptIsDerived: d.ExcerptIsDerived,
		BodyMarkdown: d.BodyMarkdown, BodyHTML: d.BodyHTML, BodyText: d.BodyText, ReadingTimeMinutes: d.ReadingTimeMinutes,
		CoverImageURL: d.CoverImageURL, MetaTitle: d.MetaTitle, MetaDescription: d.MetaDescription, TagIDs: d.TagIDs,
		SEO: d.SEO.seo(), Featured: d.SEO.Featured,
	}, nil
}

// updates are the columns Save writes besides the article's own.
func (c articleSEOColumns) updates() map[string]any {
	return map[string]any{
		"canonical_url": c.CanonicalURL, "og_title": c.OGTitle, "og_description": c.OGDescription,
		"og_image_url": c.OGImageURL, "twitter_title": c.TwitterTitle, "twitter_description": c.TwitterDescription,
		"twitter_image_url": c.TwitterImageURL, "noindex": c.Noindex, "featured": c.Featured,
		"pending_changes": c.PendingChanges, "changes_scheduled_at": c.ChangesScheduledAt,
	}
}

// revisionSEO encodes the SEO fields and featured of a revision for article_revisions.seo.
func revisionSEO(rev article.Revision) string {
	raw, _ := json.Marshal(seoDocumentOf(rev.SEO, rev.Featured)) // strings and bools: cannot fail
	return string(raw)
}

func revisionSEOFrom(raw string, rev *article.Revision) error {
	var d seoDocument
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			return fmt.Errorf("decode seo of revision %d of %s: %w", rev.Number, rev.ArticleID, err)
		}
	}
	rev.SEO, rev.Featured = d.seo(), d.Featured
	return nil
}

// seoColumns are the SEO columns the read model selects with an article's detail.
const seoColumns = `a.canonical_url, a.og_title, a.og_description, a.og_image_url, a.twitter_title,
	a.twitter_description, a.twitter_image_url, a.noindex`

// addStaged sets the SEO fields of d and, when the row has them, its pending changes, naming their
// tags in one more read.
func (r *ArticleReadModel) addStaged(ctx context.Context, d *articleapp.ArticleDetail, c articleSEOColumns) error {
	var s article.State
	if err := c.into(&s); err != nil {
		return fmt.Errorf("article read model: %s: %w", d.ID, err)
	}
	d.SEO, d.ChangesScheduledAt = s.SEO, s.ChangesScheduledAt
	if s.Pending == nil {
		return nil
	}
	refs := map[string]articleapp.TagRef{}
	if len(s.Pending.TagIDs) > 0 {
		_, tags, err := r.ArticleRefs(ctx, "", s.Pending.TagIDs)
		if err != nil {
			return err
		}
		for _, t := range tags {
			refs[t.ID] = t
		}
	}
	d.Pending = articleapp.NewPendingView(s.Pending, refs)
	return nil
}
