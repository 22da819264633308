package article

import (
	"errors"
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Revision is a snapshot of an article's content after a saved change. It is a value: storage keeps
// it as is and it never changes. The slug is left out on purpose, so restoring an old revision never
// moves a published URL.
type Revision struct {
	ArticleID        string
	Number           int
	Title            string
	Excerpt          string
	ExcerptIsDerived bool
	BodyMarkdown     string
	TagIDs           []string
	MetaTitle        string
	MetaDescription  string
	CoverImageURL    string
	SEO              SEO
	Featured         bool
	// Pending marks a revision of pending changes: the live content of the article was another.
	Pending   bool
	Status    Status
	Version   shared.Version
	EditorID  string // the user whose change produced this state
	CreatedAt time.Time
}

// Snapshot captures the article's current state as revision number, made by editorID: the content
// editors work on, which is the pending changes when there are some.
func (a *Article) Snapshot(number int, editorID string, now time.Time) Revision {
	c := a.working()
	return Revision{
		ArticleID:        a.id,
		Number:           number,
		Title:            c.title,
		Excerpt:          c.excerpt,
		ExcerptIsDerived: c.excerptIsDerived,
		BodyMarkdown:     c.bodyMarkdown,
		TagIDs:           slices.Clone(c.tagIDs),
		MetaTitle:        c.metaTitle,
		MetaDescription:  c.metaDescription,
		CoverImageURL:    c.coverImageURL,
		SEO:              c.seo,
		Featured:         c.featured,
		Pending:          a.pending != nil,
		Status:           a.status,
		Version:          a.version,
		EditorID:         editorID,
		CreatedAt:        now,
	}
}

// RestoreRevision applies the revision's content as a new change, validated like any edit; the status
// and the slug stay as they are, and on a published or scheduled article it becomes the pending
// changes (see Edit). body is the revision's body rendered (RenderBody of
// rev.BodyMarkdown, before the transaction). Tag ids must still exist: the caller drops the ones
// deleted since. A revision of another article is ErrRevisionNotFound.
func (a *Article) RestoreRevision(rev Revision, body Body, now time.Time) (bool, error) {
	if rev.ArticleID != a.id {
		return false, ErrRevisionNotFound
	}
	if body.markdown != rev.BodyMarkdown {
		return false, errors.New("article: restore revision: the body given is not the revision's body")
	}
	excerpt := rev.Excerpt
	if rev.ExcerptIsDerived {
		excerpt = ""
	}
	tagIDs := slices.Clone(rev.TagIDs)
	return a.Edit(Changes{
		Title:           &rev.Title,
		Excerpt:         &excerpt,
		Body:            &body,
		CoverImageURL:   &rev.CoverImageURL,
		MetaTitle:       &rev.MetaTitle,
		MetaDescription: &rev.MetaDescription,
		TagIDs:          &tagIDs,
		SEO:             rev.SEO.asChanges(),
		Featured:        &rev.Featured,
	}, now)
}
