package article_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
)

// world is what the fakes share: the memstore database (whose repositories pass the contract
// suites), the authors the read model shows, the cache, and a journal of transactions and cache
// operations in the order they happened.
type world struct {
	db *memstore.DB

	mu           sync.Mutex
	authors      map[string]articleapp.AuthorRef
	journal      []string
	failOnAppend error // the outbox fails with it, rolling the transaction back
	reads        int   // read-model calls of the public reads
}

func newWorld() *world {
	return &world{db: memstore.New(), authors: map[string]articleapp.AuthorRef{}}
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

func (w *world) outboxCopy() (out []application.OutboxMessage) {
	w.db.View(func(t memstore.Tables) { out = slices.Clone(t.Outbox) })
	return out
}

// fakeTx is the memstore transaction manager, journaling each outermost commit and rollback.
type fakeTx struct{ w *world }

func (f fakeTx) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	outermost := !memstore.InTx(ctx)
	err := f.w.db.Do(ctx, fn)
	switch {
	case !outermost:
	case err != nil:
		f.w.note("rollback")
	default:
		f.w.note("commit")
	}
	return err
}

// failingOutbox is the memstore outbox, failing while the world says so.
type failingOutbox struct {
	*memstore.Outbox
	w *world
}

func (o failingOutbox) Append(ctx context.Context, msgs ...application.OutboxMessage) error {
	o.w.mu.Lock()
	err := o.w.failOnAppend
	o.w.mu.Unlock()
	if err != nil {
		return err
	}
	return o.Outbox.Append(ctx, msgs...)
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
