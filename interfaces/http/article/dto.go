package articlehttp

import (
	"time"

	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// createRequest is POST /admin/articles: a new draft. Tags are named by slug.
type createRequest struct {
	Title           string   `json:"title"`
	Slug            string   `json:"slug"`
	Excerpt         string   `json:"excerpt"`
	BodyMarkdown    string   `json:"body_markdown"`
	CoverImageURL   string   `json:"cover_image_url"`
	MetaTitle       string   `json:"meta_title"`
	MetaDescription string   `json:"meta_description"`
	Tags            []string `json:"tags"`
	seoRequest
}

// patchRequest is a JSON merge patch (RFC 7396): absent leaves a field, null clears it (title
// cannot be cleared; a cleared slug or excerpt is derived again), tags replaces the whole list.
type patchRequest struct {
	Title           bind.Optional[string]   `json:"title"`
	Slug            bind.Optional[string]   `json:"slug"`
	Excerpt         bind.Optional[string]   `json:"excerpt"`
	BodyMarkdown    bind.Optional[string]   `json:"body_markdown"`
	CoverImageURL   bind.Optional[string]   `json:"cover_image_url"`
	MetaTitle       bind.Optional[string]   `json:"meta_title"`
	MetaDescription bind.Optional[string]   `json:"meta_description"`
	Tags            bind.Optional[[]string] `json:"tags"`
	seoPatch
}

// scheduleRequest is the body of POST /admin/articles/{id}/schedule.
type scheduleRequest struct {
	PublishAt *string `json:"publish_at"` // parsed by the handler, so a bad time is a 422 on the field
}

type tagRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type authorRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// summaryResponse is a list item of the public API.
type summaryResponse struct {
	ID                 string     `json:"id"`
	Slug               string     `json:"slug"`
	Title              string     `json:"title"`
	Excerpt            string     `json:"excerpt"`
	CoverImageURL      string     `json:"cover_image_url"`
	Tags               []tagRef   `json:"tags"`
	Author             authorRef  `json:"author"`
	PublishedAt        *time.Time `json:"published_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	ReadingTimeMinutes int        `json:"reading_time_minutes"`
	Featured           bool       `json:"featured"`
}

// bodyFields are what one article adds to its summary.
type bodyFields struct {
	BodyMarkdown    string `json:"body_markdown"`
	BodyHTML        string `json:"body_html"`
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
}

// articleResponse is one published article (or a preview, marked so), SEO fields resolved.
type articleResponse struct {
	summaryResponse
	bodyFields
	resolvedSEO
	Preview bool `json:"preview,omitempty"`
}

// adminSummaryResponse is a list item of the management API: the workflow state and version too.
type adminSummaryResponse struct {
	summaryResponse
	Status      string     `json:"status"`
	ScheduledAt *time.Time `json:"scheduled_at"`
	TrashedAt   *time.Time `json:"trashed_at"`
	CreatedAt   time.Time  `json:"created_at"`
	Version     int64      `json:"version"`
}

// adminArticleResponse is one article as editors see it: the live content, and its pending
// changes.
type adminArticleResponse struct {
	adminSummaryResponse
	bodyFields
	seoFields
	stagedFields
}

type revisionSummaryResponse struct {
	Number    int       `json:"number"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	Version   int64     `json:"version"`
	EditorID  string    `json:"editor_id"`
	CreatedAt time.Time `json:"created_at"`
	Pending   bool      `json:"pending"`
}

type revisionResponse struct {
	revisionSummaryResponse
	Excerpt         string    `json:"excerpt"`
	BodyMarkdown    string    `json:"body_markdown"`
	CoverImageURL   string    `json:"cover_image_url"`
	MetaTitle       string    `json:"meta_title"`
	MetaDescription string    `json:"meta_description"`
	Tags            []tagRef  `json:"tags"`
	Featured        bool      `json:"featured"`
	SEO             seoFields `json:"seo"`
}
