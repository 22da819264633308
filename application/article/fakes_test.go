package article_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// world is the state behind every fake: articles, revisions, tags, authors, the outbox and the
// cache, plus a journal of transactions and cache operations in the order they happened. A
// transaction snapshots the stores and puts them back on error, as a database rolls back.
type world struct {
	mu        sync.Mutex
	articles  map[string]article.State
	revisions map[string][]article.Revision
	tags      map[string]tag.State
	authors   map[string]articleapp.AuthorRef
	outbox    []application.OutboxMessage
	journal   []string

	txMu         sync.Mutex
	failOnAppend error // the outbox fails with it, rolling the transaction back
	reads        int   // read-model calls of the public reads
}

func newWorld() *world {
	return &world{
		articles: map[string]article.State{}, revisions: map[string][]article.Revision{},
		tags: map[string]tag.State{}, authors: map[string]articleapp.AuthorRef{},
	}
}

func (w *world) note(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.journal = append(w.journal, s)
}

func (w *world) journalCopy() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.journal)
}

func (w *world) outboxCopy() []application.OutboxMessage {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.outbox)
}

// fakeTx serialises transactions and rolls the world back when fn fails.
type fakeTx struct{ w *world }

type inTxKey struct{}

func (f fakeTx) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	if ctx.Value(inTxKey{}) != nil {
		return fn(ctx)
	}
	f.w.txMu.Lock()
	defer f.w.txMu.Unlock()
	f.w.mu.Lock()
	arts, revs, tags, out := maps.Clone(f.w.articles), maps.Clone(f.w.revisions), maps.Clone(f.w.tags), slices.Clone(f.w.outbox)
	f.w.mu.Unlock()
	if err := fn(context.WithValue(ctx, inTxKey{}, true)); err != nil {
		f.w.mu.Lock()
		f.w.articles, f.w.revisions, f.w.tags, f.w.outbox = arts, revs, tags, out
		f.w.journal = append(f.w.journal, "rollback")
		f.w.mu.Unlock()
		return fmt.Errorf("transaction: %w", err)
	}
	f.w.note("commit")
	return nil
}

func stateOf(a *article.Article) article.State {
	return article.State{
		ID: a.ID(), AuthorID: a.AuthorID(), Slug: a.Slug(), Title: a.Title(), Excerpt: a.Excerpt(),
		ExcerptIsDerived: a.ExcerptIsDerived(), BodyMarkdown: a.BodyMarkdown(), BodyHTML: a.BodyHTML(),
		BodyText: a.BodyText(), ReadingTimeMinutes: a.ReadingTimeMinutes(), CoverImageURL: a.CoverImageURL(),
		MetaTitle: a.MetaTitle(), MetaDescription: a.MetaDescription(), TagIDs: a.TagIDs(), Status: a.Status(),
		PublishedAt: a.PublishedAt(), ScheduledAt: a.ScheduledAt(), TrashedAt: a.TrashedAt(), Version: a.Version(),
		CreatedAt: a.CreatedAt(), UpdatedAt: a.UpdatedAt(),
	}
}

func tagStateOf(t *tag.Tag) tag.State {
	return tag.State{ID: t.ID(), Slug: t.Slug(), Name: t.Name(), Description: t.Description(), Version: t.Version(),
		CreatedAt: t.CreatedAt(), UpdatedAt: t.UpdatedAt()}
}

// memArticles honours the article.Repository contract the service relies on.
type memArticles struct{ w *world }

func (m memArticles) Get(_ context.Context, id string) (*article.Article, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	s, ok := m.w.articles[id]
	if !ok {
		return nil, article.ErrNotFound
	}
	return article.Rehydrate(s), nil
}

func (m memArticles) Add(_ context.Context, a *article.Article) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	for _, o := range m.w.articles {
		if o.Slug == a.Slug() {
			return shared.ErrSlugTaken
		}
	}
	m.w.articles[a.ID()] = stateOf(a)
	return nil
}

func (m memArticles) Save(_ context.Context, a *article.Article, expected shared.Version) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	s, ok := m.w.articles[a.ID()]
	if !ok {
		return article.ErrNotFound
	}
	if s.Version != expected {
		return shared.VersionConflict(s.Version)
	}
	for id, o := range m.w.articles {
		if id != a.ID() && o.Slug == a.Slug() {
			return shared.ErrSlugTaken
		}
	}
	m.w.articles[a.ID()] = stateOf(a)
	return nil
}

func (m memArticles) AddRevision(_ context.Context, rev article.Revision) (int, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	rev.Number = len(m.w.revisions[rev.ArticleID]) + 1
	m.w.revisions[rev.ArticleID] = append(slices.Clone(m.w.revisions[rev.ArticleID]), rev)
	return rev.Number, nil
}

func (m memArticles) ListRevisions(_ context.Context, q article.RevisionQuery) ([]article.Revision, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	var out []article.Revision
	revs := m.w.revisions[q.ArticleID]
	for i := len(revs) - 1; i >= 0 && len(out) < q.Limit; i-- {
		if q.Before == 0 || revs[i].Number < q.Before {
			out = append(out, revs[i])
		}
	}
	return out, nil
}

func (m memArticles) GetRevision(_ context.Context, articleID string, number int) (article.Revision, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	for _, r := range m.w.revisions[articleID] {
		if r.Number == number {
			return r, nil
		}
	}
	return article.Revision{}, article.ErrRevisionNotFound
}

func (m memArticles) PurgeTrashedBefore(_ context.Context, t time.Time) (int, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	n := 0
	for id, s := range m.w.articles {
		if s.TrashedAt != nil && s.TrashedAt.Before(t) {
			delete(m.w.articles, id)
			delete(m.w.revisions, id)
			n++
		}
	}
	return n, nil
}

func (m memArticles) DueScheduled(_ context.Context, now time.Time, limit int) ([]string, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	var due []article.State
	for _, s := range m.w.articles {
		if s.Status == article.StatusScheduled && s.TrashedAt == nil && !s.ScheduledAt.After(now) {
			due = append(due, s)
		}
	}
	slices.SortFunc(due, func(a, b article.State) int { return a.ScheduledAt.Compare(*b.ScheduledAt) })
	var ids []string
	for _, s := range due[:min(limit, len(due))] {
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// memTags honours the tag.Repository contract; Delete takes the tag off its articles, as the
// database's cascade does.
type memTags struct{ w *world }

func (m memTags) Get(_ context.Context, id string) (*tag.Tag, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	s, ok := m.w.tags[id]
	if !ok {
		return nil, tag.ErrNotFound
	}
	return tag.Rehydrate(s), nil
}

func (m memTags) GetBySlug(ctx context.Context, slug string) (*tag.Tag, error) {
	found, _ := m.GetBySlugs(ctx, []string{slug})
	if len(found) == 0 {
		return nil, tag.ErrNotFound
	}
	return found[0], nil
}

func (m memTags) GetBySlugs(_ context.Context, slugs []string) ([]*tag.Tag, error) {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	var out []*tag.Tag
	for _, s := range m.w.tags {
		if slices.Contains(slugs, s.Slug) {
			out = append(out, tag.Rehydrate(s))
		}
	}
	return out, nil
}

func (m memTags) Add(_ context.Context, t *tag.Tag) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	for _, o := range m.w.tags {
		switch {
		case o.Slug == t.Slug():
			return shared.ErrSlugTaken
		case tag.NormalizeName(o.Name) == t.NameKey():
			return tag.ErrNameTaken
		}
	}
	m.w.tags[t.ID()] = tagStateOf(t)
	return nil
}

func (m memTags) Save(_ context.Context, t *tag.Tag, expected shared.Version) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	s, ok := m.w.tags[t.ID()]
	switch {
	case !ok:
		return tag.ErrNotFound
	case s.Version != expected:
		return shared.VersionConflict(s.Version)
	}
	m.w.tags[t.ID()] = tagStateOf(t)
	return nil
}

func (m memTags) Delete(_ context.Context, id string, expected shared.Version) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	s, ok := m.w.tags[id]
	switch {
	case !ok:
		return tag.ErrNotFound
	case s.Version != expected:
		return shared.VersionConflict(s.Version)
	}
	delete(m.w.tags, id)
	for aid, a := range m.w.articles {
		a.TagIDs = slices.DeleteFunc(slices.Clone(a.TagIDs), func(t string) bool { return t == id })
		m.w.articles[aid] = a
	}
	return nil
}

// memOutbox stores messages in the world, failing when told to.
type memOutbox struct{ w *world }

func (m memOutbox) Append(ctx context.Context, msgs ...application.OutboxMessage) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	if ctx.Value(inTxKey{}) == nil {
		return errors.New("outbox append outside a transaction")
	}
	if m.w.failOnAppend != nil {
		return m.w.failOnAppend
	}
	m.w.outbox = append(m.w.outbox, msgs...)
	return nil
}

// memCache is a map-based application.Cache that journals its writes.
type memCache struct {
	w        *world
	entries  map[string][]byte
	counters map[string]int64
}

func newMemCache(w *world) *memCache {
	return &memCache{w: w, entries: map[string][]byte{}, counters: map[string]int64{}}
}

func (c *memCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	v, ok := c.entries[key]
	return v, ok, nil
}

func (c *memCache) Set(_ context.Context, key string, value []byte, _ time.Duration) error {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	c.entries[key] = value
	return nil
}

func (c *memCache) Delete(_ context.Context, keys ...string) error {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	for _, k := range keys {
		delete(c.entries, k)
		c.w.journal = append(c.w.journal, "delete "+k)
	}
	return nil
}

func (c *memCache) Incr(_ context.Context, key string) (int64, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	c.counters[key]++
	c.w.journal = append(c.w.journal, "incr "+key)
	return c.counters[key], nil
}

func (c *memCache) Counter(_ context.Context, key string) (int64, error) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	return c.counters[key], nil
}

type plainRenderer struct{}

func (plainRenderer) Render(md string) (string, string) { return "<p>" + md + "</p>", md }

func eventTypes(msgs []application.OutboxMessage) string {
	types := make([]string, len(msgs))
	for i, m := range msgs {
		types[i] = m.Type
	}
	return strings.Join(types, ",")
}
