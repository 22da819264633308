package article

import (
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// The workflow:
//
//	draft ──Publish──▶ published ──Unpublish──▶ draft
//	draft ──Schedule──▶ scheduled ──Unschedule──▶ draft
//	scheduled ──Publish / PublishScheduled (when due)──▶ published
//	draft | published ──Archive──▶ archived ──Unarchive──▶ draft
//
// Unpublish, Unschedule and Archive fold pending changes into the content (see staged.go).
// Any other move is shared.ErrInvalidTransition with the current status and the action as details.
// The trash is orthogonal: Trash works from any status and keeps it, and a trashed article refuses
// every change (ErrTrashed) until RestoreFromTrash.

// Publish makes the article public now, from draft or (ahead of time) from scheduled. published_at is
// set the first time only, so unpublishing and publishing again keeps the original date.
func (a *Article) Publish(now time.Time) error {
	if err := a.allow("publish", StatusDraft, StatusScheduled); err != nil {
		return err
	}
	a.publish(now, now)
	return nil
}

// PublishScheduled is the scheduler's move: it publishes a scheduled article whose time has come.
// A first publication is dated at the scheduled time, not at the moment the worker got to it.
func (a *Article) PublishScheduled(now time.Time) error {
	if err := a.allow("publish", StatusScheduled); err != nil {
		return err
	}
	if a.scheduledAt.After(now) {
		return shared.ErrInvalidTransition.WithMessage("the article is scheduled for a later time").
			WithDetail("scheduled_at", *a.scheduledAt)
	}
	a.publish(*a.scheduledAt, now)
	return nil
}

func (a *Article) publish(publishedAt, now time.Time) {
	a.status = StatusPublished
	a.scheduledAt = nil
	if a.publishedAt == nil {
		a.publishedAt = &publishedAt
	}
	a.changed(EventPublished, now)
}

// Schedule sets a draft to be published at `at`, which must be in the future; a scheduled article can
// be moved to another time. Scheduling again for the same time changes nothing.
func (a *Article) Schedule(at, now time.Time) error {
	if err := a.allow("schedule", StatusDraft, StatusScheduled); err != nil {
		return err
	}
	if !at.After(now) {
		return shared.Validation(shared.FieldError{Field: "publish_at", Message: "must be in the future"})
	}
	if a.status == StatusScheduled && a.scheduledAt.Equal(at) {
		return nil
	}
	a.status = StatusScheduled
	a.scheduledAt = &at
	a.changed(EventUpdated, now)
	return nil
}

// Unschedule takes a scheduled article back to draft.
func (a *Article) Unschedule(now time.Time) error {
	if err := a.allow("unschedule", StatusScheduled); err != nil {
		return err
	}
	a.status = StatusDraft
	a.scheduledAt = nil
	a.foldPending()
	a.changed(EventUpdated, now)
	return nil
}

// Unpublish takes a published article back to draft.
func (a *Article) Unpublish(now time.Time) error {
	if err := a.allow("unpublish", StatusPublished); err != nil {
		return err
	}
	a.status = StatusDraft
	a.foldPending()
	a.changed(EventUnpublished, now)
	return nil
}

// Archive retires a draft or a published article.
func (a *Article) Archive(now time.Time) error {
	if err := a.allow("archive", StatusDraft, StatusPublished); err != nil {
		return err
	}
	a.status = StatusArchived
	a.foldPending()
	a.changed(EventArchived, now)
	return nil
}

// Unarchive brings an archived article back as a draft.
func (a *Article) Unarchive(now time.Time) error {
	if err := a.allow("unarchive", StatusArchived); err != nil {
		return err
	}
	a.status = StatusDraft
	a.changed(EventUpdated, now)
	return nil
}

// Trash hides the article, whatever its status, until it is restored or purged.
func (a *Article) Trash(now time.Time) error {
	if a.trashedAt != nil {
		return ErrTrashed
	}
	a.trashedAt = &now
	a.changed(EventDeleted, now)
	return nil
}

// RestoreFromTrash brings a trashed article back with the status it had.
func (a *Article) RestoreFromTrash(now time.Time) error {
	if a.trashedAt == nil {
		return ErrNotTrashed
	}
	a.trashedAt = nil
	a.changed(EventUpdated, now)
	return nil
}

// allow checks that action may run: the article is not in the trash and its status is one of from.
func (a *Article) allow(action string, from ...Status) error {
	if a.trashedAt != nil {
		return ErrTrashed
	}
	for _, s := range from {
		if a.status == s {
			return nil
		}
	}
	return shared.ErrInvalidTransition.
		WithMessage("cannot %s an article that is %s", action, a.status).
		WithDetail("status", string(a.status)).
		WithDetail("action", action)
}
