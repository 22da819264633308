package article

import (
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Staged changes. A published or scheduled article has its live content (what the public API
// serves, or will serve at the scheduled time) and at most one set of pending changes: the next
// version an editor works on. While an article is staged:
//
//   - Edit (and RestoreRevision) change the pending changes, never the live content; an edit that
//     makes them equal to the live content drops them. They record article.changes_saved only.
//   - PublishChanges makes them the live content (article.updated); DiscardChanges drops them
//     (article.changes_saved); ScheduleChanges (published only) has the scheduler publish them at a
//     time, and PublishScheduledChanges is the scheduler's move.
//   - Every one of these bumps the version, so If-Match covers the pending changes too.
//
// Invariant: pending changes exist only while the article is published or scheduled, and a time
// for them only while they exist and the article is published. Leaving those statuses (unpublish,
// unschedule, archive) folds the pending changes into the content: the newest work is what the
// editor goes on with, and the content that was live stays in the revisions.

// PendingChanges is the pending content of a staged article as storage keeps it: the editable
// fields of State and what is computed from them.
type PendingChanges struct {
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
}

func (p *PendingChanges) content() *contentState {
	if p == nil {
		return nil
	}
	return &contentState{
		title: p.Title, slug: p.Slug, excerpt: p.Excerpt, excerptIsDerived: p.ExcerptIsDerived,
		bodyMarkdown: p.BodyMarkdown, bodyHTML: p.BodyHTML, bodyText: p.BodyText, readingMinutes: p.ReadingTimeMinutes,
		coverImageURL: p.CoverImageURL, metaTitle: p.MetaTitle, metaDescription: p.MetaDescription,
		tagIDs: slices.Clone(p.TagIDs), seo: p.SEO, featured: p.Featured,
	}
}

func pendingOf(c *contentState) *PendingChanges {
	if c == nil {
		return nil
	}
	return &PendingChanges{
		Slug: c.slug, Title: c.title, Excerpt: c.excerpt, ExcerptIsDerived: c.excerptIsDerived,
		BodyMarkdown: c.bodyMarkdown, BodyHTML: c.bodyHTML, BodyText: c.bodyText, ReadingTimeMinutes: c.readingMinutes,
		CoverImageURL: c.coverImageURL, MetaTitle: c.metaTitle, MetaDescription: c.metaDescription,
		TagIDs: slices.Clone(c.tagIDs), SEO: c.seo, Featured: c.featured,
	}
}

// staged reports whether edits go to pending changes: the article is published or scheduled.
func (a *Article) staged() bool {
	return a.status == StatusPublished || a.status == StatusScheduled
}

// working is the content editors work on: the pending changes when there are some.
func (a *Article) working() contentState {
	if a.pending != nil {
		return *a.pending
	}
	return a.content
}

func (a *Article) editPending(ch Changes, now time.Time) (bool, error) {
	base := a.working()
	next, err := base.with(ch)
	if err != nil {
		return false, err
	}
	if next.equal(base) {
		return false, nil
	}
	if next.equal(a.content) {
		a.pending, a.changesScheduledAt = nil, nil
	} else {
		a.pending = &next
	}
	a.changed(EventChangesSaved, now)
	return true, nil
}

// PublishChanges makes the pending changes the live content.
func (a *Article) PublishChanges(now time.Time) error {
	if err := a.allowPending("publish the changes of"); err != nil {
		return err
	}
	a.promote(now)
	return nil
}

func (a *Article) promote(now time.Time) {
	a.content = *a.pending
	a.pending, a.changesScheduledAt = nil, nil
	a.changed(EventUpdated, now)
}

// DiscardChanges drops the pending changes; the live content stays as it is.
func (a *Article) DiscardChanges(now time.Time) error {
	if err := a.allowPending("discard the changes of"); err != nil {
		return err
	}
	a.pending, a.changesScheduledAt = nil, nil
	a.changed(EventChangesSaved, now)
	return nil
}

// ScheduleChanges has the pending changes of a published article published at `at`, which must be
// in the future. Scheduling again for the same time changes nothing. (The changes of a scheduled
// article go live with it; PublishChanges makes them its content before then.)
func (a *Article) ScheduleChanges(at, now time.Time) error {
	if err := a.allow("schedule the changes of", StatusPublished); err != nil {
		return err
	}
	if a.pending == nil {
		return ErrNoPendingChanges
	}
	if !at.After(now) {
		return shared.Validation(shared.FieldError{Field: "publish_at", Message: "must be in the future"})
	}
	if a.changesScheduledAt != nil && a.changesScheduledAt.Equal(at) {
		return nil
	}
	a.changesScheduledAt = &at
	a.changed(EventUpdated, now)
	return nil
}

// ChangesDue reports whether the article has scheduled changes whose time has come at now.
func (a *Article) ChangesDue(now time.Time) bool {
	return a.trashedAt == nil && a.status == StatusPublished && a.pending != nil &&
		a.changesScheduledAt != nil && !a.changesScheduledAt.After(now)
}

// PublishScheduledChanges is the scheduler's move: it publishes pending changes whose time has come.
func (a *Article) PublishScheduledChanges(now time.Time) error {
	if !a.ChangesDue(now) {
		return shared.ErrInvalidTransition.WithMessage("the article has no scheduled changes due")
	}
	a.promote(now)
	return nil
}

// foldPending makes the pending changes the content, as the article leaves the staged statuses.
func (a *Article) foldPending() {
	if a.pending != nil {
		a.content = *a.pending
	}
	a.pending, a.changesScheduledAt = nil, nil
}

// allowPending checks that the article is staged, not trashed, and has pending changes.
func (a *Article) allowPending(action string) error {
	if err := a.allow(action, StatusPublished, StatusScheduled); err != nil {
		return err
	}
	if a.pending == nil {
		return ErrNoPendingChanges
	}
	return nil
}

// HasPendingChanges reports whether a staged article has changes that are not live.
func (a *Article) HasPendingChanges() bool { return a.pending != nil }

// Pending returns the pending changes, or nil.
func (a *Article) Pending() *PendingChanges { return pendingOf(a.pending) }

// ChangesScheduledAt is when the pending changes are to be published, or nil.
func (a *Article) ChangesScheduledAt() *time.Time { return copyTime(a.changesScheduledAt) }
