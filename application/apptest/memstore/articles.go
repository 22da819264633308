package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Articles implements article.Repository on the Articles and Revisions tables.
type Articles struct{ db *DB }

var _ article.Repository = (*Articles)(nil)

var errUnknownTag = shared.Validation(shared.FieldError{Field: "tags", Message: "names a tag that does not exist"})

func (r *Articles) Get(_ context.Context, id string) (*article.Article, error) {
	t, unlock := r.db.lock()
	defer unlock()
	s, ok := t.Articles[id]
	if !ok {
		return nil, article.ErrNotFound
	}
	return article.Rehydrate(s), nil
}

func (r *Articles) Add(_ context.Context, a *article.Article) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := a.State()
	if _, ok := t.Articles[s.ID]; ok {
		return fmt.Errorf("article %s: %w", s.ID, errConstraint)
	}
	if err := r.check(t, s); err != nil {
		return err
	}
	t.Articles[s.ID] = s
	return nil
}

func (r *Articles) Save(_ context.Context, a *article.Article, expected shared.Version) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := a.State()
	stored, ok := t.Articles[s.ID]
	switch {
	case !ok:
		return article.ErrNotFound
	case stored.Version != expected:
		return shared.VersionConflict(stored.Version)
	}
	if err := r.check(t, s); err != nil {
		return err
	}
	t.Articles[s.ID] = s
	return nil
}

// check enforces the unique slug and that every tag exists.
func (r *Articles) check(t *Tables, s article.State) error {
	for id, o := range t.Articles {
		if id != s.ID && o.Slug == s.Slug {
			return taken(shared.ErrSlugTaken, "slug", "another article already has that slug")
		}
	}
	for _, id := range s.TagIDs {
		if _, ok := t.Tags[id]; !ok {
			return errUnknownTag
		}
	}
	return nil
}

// AddRevision numbers rev one above the article's highest revision, as the GORM repository does in
// its INSERT; the number rev carries is not read.
func (r *Articles) AddRevision(_ context.Context, rev article.Revision) (int, error) {
	t, unlock := r.db.lock()
	defer unlock()
	if _, ok := t.Articles[rev.ArticleID]; !ok {
		return 0, fmt.Errorf("revision of unknown article %s: %w", rev.ArticleID, errConstraint)
	}
	rev.Number = 1
	for _, o := range t.Revisions[rev.ArticleID] {
		rev.Number = max(rev.Number, o.Number+1)
	}
	rev.TagIDs = slices.Clone(rev.TagIDs)
	if len(rev.TagIDs) == 0 {
		rev.TagIDs = nil // storage keeps no difference between no tags and an empty list
	}
	t.Revisions[rev.ArticleID] = append(slices.Clone(t.Revisions[rev.ArticleID]), rev)
	return rev.Number, nil
}

// ListRevisions returns up to q.Limit revisions numbered below q.Before (all when 0), newest first.
func (r *Articles) ListRevisions(_ context.Context, q article.RevisionQuery) ([]article.Revision, error) {
	t, unlock := r.db.lock()
	defer unlock()
	var out []article.Revision
	for _, rev := range t.Revisions[q.ArticleID] {
		if q.Before == 0 || rev.Number < q.Before {
			rev.TagIDs = slices.Clone(rev.TagIDs)
			out = append(out, rev)
		}
	}
	slices.SortFunc(out, func(a, b article.Revision) int { return cmp.Compare(b.Number, a.Number) })
	return out[:min(len(out), q.Limit)], nil
}

func (r *Articles) GetRevision(_ context.Context, articleID string, number int) (article.Revision, error) {
	t, unlock := r.db.lock()
	defer unlock()
	for _, rev := range t.Revisions[articleID] {
		if rev.Number == number {
			rev.TagIDs = slices.Clone(rev.TagIDs)
			return rev, nil
		}
	}
	return article.Revision{}, article.ErrRevisionNotFound
}

// PurgeTrashedBefore deletes the articles trashed before at with their revisions.
func (r *Articles) PurgeTrashedBefore(_ context.Context, at time.Time) (int, error) {
	t, unlock := r.db.lock()
	defer unlock()
	n := 0
	for id, s := range t.Articles {
		if s.TrashedAt != nil && s.TrashedAt.Before(at) {
			delete(t.Articles, id)
			delete(t.Revisions, id)
			n++
		}
	}
	return n, nil
}

// DueScheduled needs no lock beyond the transaction: transactions on a DB run one at a time.
func (r *Articles) DueScheduled(_ context.Context, now time.Time, limit int) ([]string, error) {
	t, unlock := r.db.lock()
	defer unlock()
	var due []article.State
	for _, s := range t.Articles {
		if s.Status == article.StatusScheduled && s.TrashedAt == nil && s.ScheduledAt != nil && !s.ScheduledAt.After(now) {
			due = append(due, s)
		}
	}
	slices.SortFunc(due, func(a, b article.State) int {
		return cmp.Or(a.ScheduledAt.Compare(*b.ScheduledAt), cmp.Compare(a.ID, b.ID))
	})
	ids := make([]string, 0, min(limit, len(due)))
	for _, s := range due[:min(limit, len(due))] {
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// DueChanges is DueScheduled for published articles whose pending changes are due.
func (r *Articles) DueChanges(_ context.Context, now time.Time, limit int) ([]string, error) {
	t, unlock := r.db.lock()
	defer unlock()
	var due []article.State
	for _, s := range t.Articles {
		if s.Status == article.StatusPublished && s.TrashedAt == nil && s.ChangesScheduledAt != nil && !s.ChangesScheduledAt.After(now) {
			due = append(due, s)
		}
	}
	slices.SortFunc(due, func(a, b article.State) int {
		return cmp.Or(a.ChangesScheduledAt.Compare(*b.ChangesScheduledAt), cmp.Compare(a.ID, b.ID))
	})
	ids := make([]string, 0, min(limit, len(due)))
	for _, s := range due[:min(limit, len(due))] {
		ids = append(ids, s.ID)
	}
	return ids, nil
}
