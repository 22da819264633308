package apptest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application"
)

// Journal records, in order, the commits and rollbacks of a JournaledTx and the writes of a Cache,
// so a use-case test can tell that the cache moved only after the commit, or not at all.
type Journal struct {
	mu      sync.Mutex
	entries []string
}

// Note appends an entry.
func (j *Journal) Note(entry string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, entry)
}

// Entries returns a copy of the entries so far; its length is a mark for Since.
func (j *Journal) Entries() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries)
}

// Since returns the entries written after mark.
func (j *Journal) Since(mark int) []string { return j.Entries()[mark:] }

// JournaledTx is the TxManager it wraps, noting "commit" or "rollback" when an outermost
// transaction ends.
type JournaledTx struct {
	Tx      application.TxManager
	Journal *Journal
}

var _ application.TxManager = JournaledTx{}

type journaledTxKey struct{}

func (t JournaledTx) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	if ctx.Value(journaledTxKey{}) != nil {
		return t.Tx.Do(ctx, fn)
	}
	err := t.Tx.Do(context.WithValue(ctx, journaledTxKey{}, true), fn)
	if err != nil {
		t.Journal.Note("rollback")
	} else {
		t.Journal.Note("commit")
	}
	return err
}

// Cache is a map-based application.Cache noting each "delete KEY" and "incr KEY" in its journal.
type Cache struct {
	journal  *Journal
	mu       sync.Mutex
	entries  map[string][]byte
	counters map[string]int64
}

var _ application.Cache = (*Cache)(nil)

// NewCache returns an empty cache writing to journal.
func NewCache(journal *Journal) *Cache {
	return &Cache{journal: journal, entries: map[string][]byte{}, counters: map[string]int64{}}
}

func (c *Cache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	return v, ok, nil
}

func (c *Cache) Set(_ context.Context, key string, value []byte, _ time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = value
	return nil
}

func (c *Cache) Delete(_ context.Context, keys ...string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		delete(c.entries, k)
		c.journal.Note("delete " + k)
	}
	return nil
}

func (c *Cache) Incr(_ context.Context, key string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counters[key]++
	c.journal.Note("incr " + key)
	return c.counters[key], nil
}

func (c *Cache) Raise(_ context.Context, key string, value int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counters[key] = max(c.counters[key], value)
	return nil
}

func (c *Cache) Counter(_ context.Context, key string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counters[key], nil
}

// FailingOutbox is the Outbox it wraps until FailWith is called; from then on every Append fails
// with that error, which rolls the change's transaction back.
type FailingOutbox struct {
	application.Outbox
	mu  sync.Mutex
	err error
}

var _ application.Outbox = (*FailingOutbox)(nil)

// FailWith makes every later Append fail with err.
func (o *FailingOutbox) FailWith(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.err = err
}

func (o *FailingOutbox) Append(ctx context.Context, msgs ...application.OutboxMessage) error {
	o.mu.Lock()
	err := o.err
	o.mu.Unlock()
	if err != nil {
		return err
	}
	return o.Outbox.Append(ctx, msgs...)
}
