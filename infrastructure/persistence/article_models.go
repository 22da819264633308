package persistence

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// articleModel is a row of articles. The database adds what the domain never sees: the search
// vector on PostgreSQL and the seq rowid the full-text index refers to on SQLite. Timestamps come
// from the application's clock, so GORM's automatic ones are off.
type articleModel struct {
	ID                 string            `gorm:"column:id;primaryKey"`
	AuthorID           string            `gorm:"column:author_id"`
	Slug               string            `gorm:"column:slug"`
	Title              string            `gorm:"column:title"`
	Excerpt            string            `gorm:"column:excerpt"`
	ExcerptIsDerived   bool              `gorm:"column:excerpt_is_derived"`
	BodyMarkdown       string            `gorm:"column:body_markdown"`
	BodyHTML           string            `gorm:"column:body_html"`
	BodyText           string            `gorm:"column:body_text"`
	ReadingTimeMinutes int               `gorm:"column:reading_time_minutes"`
	CoverImageURL      string            `gorm:"column:cover_image_url"`
	MetaTitle          string            `gorm:"column:meta_title"`
	MetaDescription    string            `gorm:"column:meta_description"`
	Status             string            `gorm:"column:status"`
	PublishedAt        *time.Time        `gorm:"column:published_at"`
	ScheduledAt        *time.Time        `gorm:"column:scheduled_at"`
	TrashedAt          *time.Time        `gorm:"column:trashed_at"`
	Version            int64             `gorm:"column:version"`
	CreatedAt          time.Time         `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt          time.Time         `gorm:"column:updated_at;autoUpdateTime:false"`
	Staged             articleSEOColumns `gorm:"embedded"`
}

func (articleModel) TableName() string { return "articles" }

// articleTagModel is a row of article_tags: one tag of an article at its position in the list.
type articleTagModel struct {
	ArticleID string `gorm:"column:article_id;primaryKey"`
	TagID     string `gorm:"column:tag_id;primaryKey"`
	Position  int    `gorm:"column:position"`
}

func (articleTagModel) TableName() string { return "article_tags" }

// articleRevisionModel is a row of article_revisions. EditorID is NULL when no user made the
// change (the scheduler publishing) or the user is gone.
type articleRevisionModel struct {
	ArticleID        string    `gorm:"column:article_id;primaryKey"`
	Number           int       `gorm:"column:number;primaryKey"`
	Title            string    `gorm:"column:title"`
	Excerpt          string    `gorm:"column:excerpt"`
	ExcerptIsDerived bool      `gorm:"column:excerpt_is_derived"`
	BodyMarkdown     string    `gorm:"column:body_markdown"`
	TagIDs           string    `gorm:"column:tag_ids"`
	MetaTitle        string    `gorm:"column:meta_title"`
	MetaDescription  string    `gorm:"column:meta_description"`
	CoverImageURL    string    `gorm:"column:cover_image_url"`
	Status           string    `gorm:"column:status"`
	Version          int64     `gorm:"column:version"`
	EditorID         *string   `gorm:"column:editor_id"`
	CreatedAt        time.Time `gorm:"column:created_at;autoCreateTime:false"`
	SEO              string    `gorm:"column:seo"`
	Pending          bool      `gorm:"column:pending"`
}

func (articleRevisionModel) TableName() string { return "article_revisions" }

// Times are stored in UTC: SQLite compares them as text, which orders correctly only in one zone.
// Tags live in article_tags (see ArticleRepository), so the model leaves s.TagIDs out.
func articleToModel(s article.State) articleModel {
	return articleModel{
		ID: s.ID, AuthorID: s.AuthorID, Slug: s.Slug, Title: s.Title, Excerpt: s.Excerpt,
		ExcerptIsDerived: s.ExcerptIsDerived, BodyMarkdown: s.BodyMarkdown, BodyHTML: s.BodyHTML,
		BodyText: s.BodyText, ReadingTimeMinutes: s.ReadingTimeMinutes, CoverImageURL: s.CoverImageURL,
		MetaTitle: s.MetaTitle, MetaDescription: s.MetaDescription, Status: string(s.Status),
		PublishedAt: utcOrNil(s.PublishedAt), ScheduledAt: utcOrNil(s.ScheduledAt), TrashedAt: utcOrNil(s.TrashedAt),
		Version: int64(s.Version), CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
		Staged: seoColumnsOf(s),
	}
}

func (m articleModel) toDomain(tagIDs []string) (*article.Article, error) {
	s := article.State{
		ID: m.ID, AuthorID: m.AuthorID, Slug: m.Slug, Title: m.Title, Excerpt: m.Excerpt,
		ExcerptIsDerived: m.ExcerptIsDerived, BodyMarkdown: m.BodyMarkdown, BodyHTML: m.BodyHTML,
		BodyText: m.BodyText, ReadingTimeMinutes: m.ReadingTimeMinutes, CoverImageURL: m.CoverImageURL,
		MetaTitle: m.MetaTitle, MetaDescription: m.MetaDescription, TagIDs: tagIDs, Status: article.Status(m.Status),
		PublishedAt: utcOrNil(m.PublishedAt), ScheduledAt: utcOrNil(m.ScheduledAt), TrashedAt: utcOrNil(m.TrashedAt),
		Version: shared.Version(m.Version), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
	if err := m.Staged.into(&s); err != nil {
		return nil, fmt.Errorf("article %s: %w", m.ID, err)
	}
	return article.Rehydrate(s), nil
}

func revisionToModel(rev article.Revision) (articleRevisionModel, error) {
	tagIDs := rev.TagIDs
	if tagIDs == nil {
		tagIDs = []string{}
	}
	raw, err := json.Marshal(tagIDs)
	if err != nil {
		return articleRevisionModel{}, fmt.Errorf("encode tag ids: %w", err)
	}
	var editor *string
	if rev.EditorID != "" {
		editor = &rev.EditorID
	}
	return articleRevisionModel{
		ArticleID: rev.ArticleID, Number: rev.Number, Title: rev.Title, Excerpt: rev.Excerpt,
		ExcerptIsDerived: rev.ExcerptIsDerived, BodyMarkdown: rev.BodyMarkdown, TagIDs: string(raw),
		MetaTitle: rev.MetaTitle, MetaDescription: rev.MetaDescription, CoverImageURL: rev.CoverImageURL,
		Status: string(rev.Status), Version: int64(rev.Version), EditorID: editor, CreatedAt: rev.CreatedAt.UTC(),
		SEO: revisionSEO(rev), Pending: rev.Pending,
	}, nil
}

func (m articleRevisionModel) toDomain() (article.Revision, error) {
	var tagIDs []string
	if err := json.Unmarshal([]byte(m.TagIDs), &tagIDs); err != nil {
		return article.Revision{}, fmt.Errorf("decode tag ids of revision %d of %s: %w", m.Number, m.ArticleID, err)
	}
	if len(tagIDs) == 0 {
		tagIDs = nil
	}
	editor := ""
	if m.EditorID != nil {
		editor = *m.EditorID
	}
	rev := article.Revision{
		ArticleID: m.ArticleID, Number: m.Number, Title: m.Title, Excerpt: m.Excerpt,
		ExcerptIsDerived: m.ExcerptIsDerived, BodyMarkdown: m.BodyMarkdown, TagIDs: tagIDs,
		MetaTitle: m.MetaTitle, MetaDescription: m.MetaDescription, CoverImageURL: m.CoverImageURL,
		Status: article.Status(m.Status), Version: shared.Version(m.Version), EditorID: editor,
		CreatedAt: m.CreatedAt.UTC(), Pending: m.Pending,
	}
	return rev, revisionSEOFrom(m.SEO, &rev)
}

func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// taken is a unique-key conflict naming the field that holds the taken value.
func taken(e *shared.Error, field, message string, cause error) *shared.Error {
	c := e.WithCause(cause)
	c.Fields = []shared.FieldError{{Field: field, Message: message}}
	return c
}
