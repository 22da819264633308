// Package article holds the Article aggregate: editorial content, its workflow (draft, scheduled,
// published, archived, and the trash), its revisions and the port that renders its Markdown.
package article

import (
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Article is a piece of editorial content. It changes only through its methods; each saved change
// bumps the version once, touches updated_at and records an event.
type Article struct {
	shared.Events

	id       string
	authorID string
	content  contentState
	// pending is the next version of a published or scheduled article's content, saved but not
	// live (see staged.go); nil when there is none, and always nil in any other status.
	pending            *contentState
	changesScheduledAt *time.Time
	status             Status
	publishedAt        *time.Time
	scheduledAt        *time.Time
	trashedAt          *time.Time
	version            shared.Version
	createdAt          time.Time
	updatedAt          time.Time
}

// New validates c and creates a draft at version 1 written by authorID, recording article.created.
func New(id, authorID string, c Content, now time.Time) (*Article, error) {
	content, err := contentState{}.with(c.asChanges())
	if err != nil {
		return nil, err
	}
	a := &Article{
		id:        id,
		authorID:  authorID,
		content:   content,
		status:    StatusDraft,
		version:   1,
		createdAt: now,
		updatedAt: now,
	}
	a.Record(EventCreated, id, now)
	return a, nil
}

// State is an article as storage keeps it, including what was computed from the body.
type State struct {
	ID                 string
	AuthorID           string
	Slug               string
	Title              string
	Excerpt            string
	ExcerptIsDerived   bool
	BodyMarkdown       string
	BodyHTML           string
	BodyText           string
	ReadingTimeMinutes int
	CoverImageURL      string
	MetaTitle          string
	MetaDescription    string
	TagIDs             []string
	SEO                SEO
	Featured           bool
	// Pending holds the pending changes of a published or scheduled article (nil: none), and
	// ChangesScheduledAt when they are to be published.
	Pending            *PendingChanges
	ChangesScheduledAt *time.Time
	Status             Status
	PublishedAt        *time.Time
	ScheduledAt        *time.Time
	TrashedAt          *time.Time
	Version            shared.Version
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Rehydrate rebuilds a stored article without re-running the creation rules, rendering or recording
// events.
func Rehydrate(s State) *Article {
	return &Article{
		id:       s.ID,
		authorID: s.AuthorID,
		content: contentState{
			title:            s.Title,
			slug:             s.Slug,
			excerpt:          s.Excerpt,
			excerptIsDerived: s.ExcerptIsDerived,
			bodyMarkdown:     s.BodyMarkdown,
			bodyHTML:         s.BodyHTML,
			bodyText:         s.BodyText,
			readingMinutes:   s.ReadingTimeMinutes,
			coverImageURL:    s.CoverImageURL,
			metaTitle:        s.MetaTitle,
			metaDescription:  s.MetaDescription,
			tagIDs:           slices.Clone(s.TagIDs),
			seo:              s.SEO,
			featured:         s.Featured,
		},
		pending:            s.Pending.content(),
		changesScheduledAt: copyTime(s.ChangesScheduledAt),
		status:             s.Status,
		publishedAt:        copyTime(s.PublishedAt),
		scheduledAt:        copyTime(s.ScheduledAt),
		trashedAt:          copyTime(s.TrashedAt),
		version:            s.Version,
		createdAt:          s.CreatedAt,
		updatedAt:          s.UpdatedAt,
	}
}

// State is the reverse of Rehydrate: the article as storage keeps it. It shares no slice or time
// pointer with the aggregate, so changing the result leaves the article as it was.
func (a *Article) State() State {
	return State{
		ID:                 a.id,
		AuthorID:           a.authorID,
		Slug:               a.content.slug,
		Title:              a.content.title,
		Excerpt:            a.content.excerpt,
		ExcerptIsDerived:   a.content.excerptIsDerived,
		BodyMarkdown:       a.content.bodyMarkdown,
		BodyHTML:           a.content.bodyHTML,
		BodyText:           a.content.bodyText,
		ReadingTimeMinutes: a.content.readingMinutes,
		CoverImageURL:      a.content.coverImageURL,
		MetaTitle:          a.content.metaTitle,
		MetaDescription:    a.content.metaDescription,
		TagIDs:             slices.Clone(a.content.tagIDs),
		SEO:                a.content.seo,
		Featured:           a.content.featured,
		Pending:            pendingOf(a.pending),
		ChangesScheduledAt: copyTime(a.changesScheduledAt),
		Status:             a.status,
		PublishedAt:        copyTime(a.publishedAt),
		ScheduledAt:        copyTime(a.scheduledAt),
		TrashedAt:          copyTime(a.trashedAt),
		Version:            a.version,
		CreatedAt:          a.createdAt,
		UpdatedAt:          a.updatedAt,
	}
}

// Edit applies changes as one change, in any status but the trash. A draft (or archived) article
// changes at once; a published or scheduled one keeps its live content and the changes go to its
// pending changes (see staged.go). A call that changes nothing leaves the version alone and reports
// false.
func (a *Article) Edit(ch Changes, now time.Time) (bool, error) {
	if a.trashedAt != nil {
		return false, ErrTrashed
	}
	if a.staged() {
		return a.editPending(ch, now)
	}
	next, err := a.content.with(ch)
	if err != nil {
		return false, err
	}
	if next.equal(a.content) {
		return false, nil
	}
	a.content = next
	a.changed(EventUpdated, now)
	// A preview of the draft refreshes on this event, as it does on a staged edit.
	a.Record(EventChangesSaved, a.id, now)
	return true, nil
}

// changed closes every saved change: one version bump, updated_at and the event.
func (a *Article) changed(eventType string, now time.Time) {
	a.version++
	a.updatedAt = now
	a.Record(eventType, a.id, now)
}

func (a *Article) ID() string       { return a.id }
func (a *Article) AuthorID() string { return a.authorID }
func (a *Article) Slug() string     { return a.content.slug }
func (a *Article) Title() string    { return a.content.title }
func (a *Article) Excerpt() string  { return a.content.excerpt }

// ExcerptIsDerived reports whether the excerpt follows the body (no excerpt was written).
func (a *Article) ExcerptIsDerived() bool  { return a.content.excerptIsDerived }
func (a *Article) BodyMarkdown() string    { return a.content.bodyMarkdown }
func (a *Article) BodyHTML() string        { return a.content.bodyHTML }
func (a *Article) BodyText() string        { return a.content.bodyText }
func (a *Article) ReadingTimeMinutes() int { return a.content.readingMinutes }
func (a *Article) CoverImageURL() string   { return a.content.coverImageURL }
func (a *Article) MetaTitle() string       { return a.content.metaTitle }
func (a *Article) MetaDescription() string { return a.content.metaDescription }
func (a *Article) TagIDs() []string        { return slices.Clone(a.content.tagIDs) }
func (a *Article) SEO() SEO                { return a.content.seo }
func (a *Article) Featured() bool          { return a.content.featured }
func (a *Article) Status() Status          { return a.status }
func (a *Article) PublishedAt() *time.Time { return copyTime(a.publishedAt) }
func (a *Article) ScheduledAt() *time.Time { return copyTime(a.scheduledAt) }
func (a *Article) TrashedAt() *time.Time   { return copyTime(a.trashedAt) }
func (a *Article) IsTrashed() bool         { return a.trashedAt != nil }
func (a *Article) Version() shared.Version { return a.version }
func (a *Article) CreatedAt() time.Time    { return a.createdAt }
func (a *Article) UpdatedAt() time.Time    { return a.updatedAt }

// copyTime keeps callers from changing the aggregate's times through a returned pointer.
func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
