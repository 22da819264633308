package tag_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// world is the state behind every fake: the tags, the public article count of each tag (articles
// are application/article's; tests set the counts), the outbox and a journal of transactions and
// cache operations in order. A transaction snapshots the stores and restores them on error.
type world struct {
	mu      sync.Mutex
	tags    map[string]tag.State
	counts  map[string]int
	outbox  []application.OutboxMessage
	journal []string

	txMu         sync.Mutex
	failOnAppend error // the outbox fails with it, rolling the transaction back
	reads        int   // read-model calls
}

func newWorld() *world { return &world{tags: map[string]tag.State{}, counts: map[string]int{}} }

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
	tags, out := maps.Clone(f.w.tags), slices.Clone(f.w.outbox)
	f.w.mu.Unlock()
	if err := fn(context.WithValue(ctx, inTxKey{}, true)); err != nil {
		f.w.mu.Lock()
		f.w.tags, f.w.outbox = tags, out
		f.w.journal = append(f.w.journal, "rollback")
		f.w.mu.Unlock()
		return fmt.Errorf("transaction: %w", err)
	}
	f.w.note("commit")
	return nil
}

func stateOf(t *tag.Tag) tag.State {
	return tag.State{ID: t.ID(), Slug: t.Slug(), Name: t.Name(), Description: t.Description(), Version: t.Version(),
		CreatedAt: t.CreatedAt(), UpdatedAt: t.UpdatedAt()}
}

// memTags honours the tag.Repository contract the service relies on.
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
	m.w.tags[t.ID()] = stateOf(t)
	return nil
}

func (m memTags) Save(_ context.Context, t *tag.Tag, expected shared.Version) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	if s, ok := m.w.tags[t.ID()]; !ok || s.Version != expected {
		return shared.ErrVersionConflict
	}
	m.w.tags[t.ID()] = stateOf(t)
	return nil
}

func (m memTags) Delete(_ context.Context, id string, expected shared.Version) error {
	m.w.mu.Lock()
	defer m.w.mu.Unlock()
	if s, ok := m.w.tags[id]; !ok || s.Version != expected {
		return shared.ErrVersionConflict
	}
	delete(m.w.tags, id)
	return nil
}

// memReads answers the tag ReadModel from the world, by name, keyset after the cursor.
type memReads struct{ w *world }

func (r memReads) view(t tag.State) tagapp.TagView {
	return tagapp.TagView{ID: t.ID, Slug: t.Slug, Name: t.Name, Description: t.Description, ArticleCount: r.w.counts[t.ID],
		Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func (r memReads) List(_ context.Context, q tagapp.ListQuery) ([]tagapp.TagView, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.reads++
	var states []tag.State
	for _, t := range r.w.tags {
		if q.After == nil || compareKeys(tag.NormalizeName(t.Name), t.ID, q.After.Text, q.After.ID) > 0 {
			states = append(states, t)
		}
	}
	slices.SortFunc(states, func(a, b tag.State) int {
		return compareKeys(tag.NormalizeName(a.Name), a.ID, tag.NormalizeName(b.Name), b.ID)
	})
	out := []tagapp.TagView{}
	for _, t := range states[:min(q.Limit, len(states))] {
		out = append(out, r.view(t))
	}
	return out, nil
}

// compareKeys orders (name key, id) pairs as the tag lists do.
func compareKeys(keyA, idA, keyB, idB string) int {
	return cmp.Or(strings.Compare(keyA, keyB), strings.Compare(idA, idB))
}

func (r memReads) find(match func(tag.State) bool) (tagapp.TagView, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.reads++
	for _, t := range r.w.tags {
		if match(t) {
			return r.view(t), nil
		}
	}
	return tagapp.TagView{}, tag.ErrNotFound
}

func (r memReads) GetBySlug(_ context.Context, slug string, _ time.Time) (tagapp.TagView, error) {
	return r.find(func(t tag.State) bool { return t.Slug == slug })
}

func (r memReads) Get(_ context.Context, id string, _ time.Time) (tagapp.TagView, error) {
	return r.find(func(t tag.State) bool { return t.ID == id })
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

// shapedTag is the data viewShapes gives a tag event: the view itself, marked.
type shapedTag struct{ tagapp.TagView }

// viewShapes is the EventShapes of the use-case tests; the HTTP layer's is tested against the API.
type viewShapes struct{}

func (viewShapes) Tag(v tagapp.TagView) any { return shapedTag{v} }
