package content_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// downableCache is the journaled cache, refusing every call while down is set, as a frozen or
// unreachable Redis does.
type downableCache struct {
	*apptest.Cache
	down atomic.Bool
}

var errCacheDown = errors.New("cache: i/o timeout")

func (c *downableCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if c.down.Load() {
		return nil, false, errCacheDown
	}
	return c.Cache.Get(ctx, key)
}

func (c *downableCache) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if c.down.Load() {
		return errCacheDown
	}
	return c.Cache.Set(ctx, key, v, ttl)
}

func (c *downableCache) Delete(ctx context.Context, keys ...string) error {
	if c.down.Load() {
		return errCacheDown
	}
	return c.Cache.Delete(ctx, keys...)
}

func (c *downableCache) Incr(ctx context.Context, key string) (int64, error) {
	if c.down.Load() {
		return 0, errCacheDown
	}
	return c.Cache.Incr(ctx, key)
}

func (c *downableCache) Raise(ctx context.Context, key string, value int64) error {
	if c.down.Load() {
		return errCacheDown
	}
	return c.Cache.Raise(ctx, key, value)
}

func (c *downableCache) Counter(ctx context.Context, key string) (int64, error) {
	if c.down.Load() {
		return 0, errCacheDown
	}
	return c.Cache.Counter(ctx, key)
}

// downableLog is the memstore outbox, failing every call while down is set, as an unreachable
// database does.
type downableLog struct {
	content.InvalidationLog
	down atomic.Bool
}

var errDatabaseDown = errors.New("dial tcp 127.0.0.1:5432: connection refused")

func (l *downableLog) ClaimPendingInvalidations(ctx context.Context, limit int) ([]content.PendingInvalidation, error) {
	if l.down.Load() {
		return nil, errDatabaseDown
	}
	return l.InvalidationLog.ClaimPendingInvalidations(ctx, limit)
}

func (l *downableLog) PendingInvalidations(ctx context.Context) (content.InvalidationBacklog, error) {
	if l.down.Load() {
		return content.InvalidationBacklog{}, errDatabaseDown
	}
	return l.InvalidationLog.PendingInvalidations(ctx)
}

// recordedMetrics keeps what the worker reported.
type recordedMetrics struct {
	mu       sync.Mutex
	applied  int
	failures map[string]int
	backlog  content.InvalidationBacklog
}

func (m *recordedMetrics) InvalidationsApplied(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.applied += n
}

func (m *recordedMetrics) InvalidationFailed(reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures[reason]++
}

func (m *recordedMetrics) InvalidationBacklogObserved(b content.InvalidationBacklog, _ time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.backlog = b
}

type workerFixture struct {
	db      *memstore.DB
	journal *apptest.Journal
	cache   *downableCache
	log     *downableLog
	aside   *cacheaside.Aside
	metrics *recordedMetrics
	logs    *observer.ObservedLogs
	worker  *content.Invalidator
}

func newWorkerFixture(t *testing.T, batch int) *workerFixture {
	t.Helper()
	f := &workerFixture{db: memstore.New(), journal: &apptest.Journal{}, metrics: &recordedMetrics{failures: map[string]int{}}}
	f.cache = &downableCache{Cache: apptest.NewCache(f.journal)}
	f.log = &downableLog{InvalidationLog: f.db.Outbox()}
	core, logs := observer.New(zapcore.InfoLevel)
	f.logs = logs
	f.aside = cacheaside.New(f.cache, cacheaside.Options{Enabled: true, TTL: time.Hour}, zap.NewNop())
	f.worker = content.NewInvalidator(content.InvalidatorConfig{Interval: 10 * time.Millisecond, BatchSize: batch},
		apptest.JournaledTx{Tx: f.db, Journal: f.journal}, f.log, f.aside, apptest.NewClock(t0), f.metrics, zap.New(core))
	return f
}

// write commits events, as a write's transaction appends them to the outbox.
func (f *workerFixture) write(t *testing.T, types ...string) {
	t.Helper()
	msgs := make([]application.OutboxMessage, len(types))
	for i, typ := range types {
		msgs[i] = application.OutboxMessage{ID: fmt.Sprintf("%s-%d-%d", typ, time.Now().UnixNano(), i), Type: typ,
			AggregateType: "article", AggregateID: "a", OccurredAt: t0, Data: map[string]any{}}
	}
	if err := f.db.Do(context.Background(), func(ctx context.Context) error { return f.db.Outbox().Append(ctx, msgs...) }); err != nil {
		t.Fatal(err)
	}
}

func (f *workerFixture) pending(t *testing.T) int {
	t.Helper()
	b, err := f.db.Outbox().PendingInvalidations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b.Pending
}

// read is a public read of the article through the cache; body is what the database holds now.
func (f *workerFixture) read(t *testing.T, body string) string {
	t.Helper()
	got, err := cacheaside.Load(context.Background(), f.aside, content.NSArticle, "hello", func(context.Context) (string, error) {
		return body, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// The scenario, on the fakes: the cache is down while a write commits, so its fast-path
// invalidation fails; once the cache is back, reads are stale until the worker's next round, and
// fresh from then on.
func TestAnInvalidationTheCacheRefusedIsAppliedOnceItAnswers(t *testing.T) {
	t.Parallel()
	f := newWorkerFixture(t, 100)
	ctx := context.Background()
	if got := f.read(t, "old"); got != "old" {
		t.Fatal(got)
	}
	f.worker.Round(ctx) // nothing pending yet

	f.cache.down.Store(true)
	f.write(t, article.EventUpdated) // the write commits: the database now holds "new"
	content.InvalidateArticle(ctx, f.aside, "hello")
	f.worker.Round(ctx)
	f.worker.Round(ctx)
	if n := f.pending(t); n != 1 {
		t.Fatalf("with the cache down, %d pending, want the write's invalidation kept", n)
	}

	f.cache.down.Store(false)
	if got := f.read(t, "new"); got != "old" {
		t.Fatalf("before the worker's round the read is %q: the scenario did not lose the fast path", got)
	}
	f.worker.Round(ctx)
	if got := f.read(t, "new"); got != "new" {
		t.Fatalf("after the worker's round the read is %q, want the written body", got)
	}
	if n := f.pending(t); n != 0 {
		t.Fatalf("%d still pending after the cache accepted the invalidation", n)
	}
	f.metrics.mu.Lock()
	defer f.metrics.mu.Unlock()
	if f.metrics.applied != 1 || f.metrics.failures[content.FailureCache] != 2 || f.metrics.backlog.Pending != 0 {
		t.Fatalf("metrics: applied %d, failures %v, backlog %+v", f.metrics.applied, f.metrics.failures, f.metrics.backlog)
	}
}

// A round bumps each namespace the batch's events name once, however many writes it covers, and
// only those.
func TestARoundBumpsTheUnionOfItsEventsNamespacesOnce(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		events []string
		bumps  []string
	}{
		"a new tag":              {[]string{tag.EventCreated, tag.EventCreated}, []string{"incr gen:tags"}},
		"article writes":         {[]string{article.EventCreated, article.EventPublished, article.EventUpdated}, []string{"incr gen:articles", "incr gen:tags", "incr gen:article"}},
		"a new tag and a rename": {[]string{tag.EventCreated, tag.EventUpdated}, []string{"incr gen:articles", "incr gen:tags", "incr gen:article"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newWorkerFixture(t, 100)
			f.write(t, c.events...)
			mark := len(f.journal.Entries())
			f.worker.Round(context.Background())
			want := append(slices.Clone(c.bumps), "commit")
			if got := f.journal.Since(mark); !slices.Equal(got, want) {
				t.Fatalf("round: %v, want %v", got, want)
			}
			if n := f.pending(t); n != 0 {
				t.Fatalf("%d pending after the round", n)
			}
		})
	}
}

// Every pending invalidation is applied in one round, batch after batch.
func TestARoundDrainsEveryBatch(t *testing.T) {
	t.Parallel()
	f := newWorkerFixture(t, 2)
	f.write(t, article.EventUpdated, article.EventUpdated, article.EventUpdated, article.EventUpdated, tag.EventCreated)
	f.worker.Round(context.Background())
	if n := f.pending(t); n != 0 {
		t.Fatalf("%d pending after one round", n)
	}
	if f.metrics.applied != 5 {
		t.Fatalf("applied %d, want 5", f.metrics.applied)
	}
}

// While the cache is down the worker asks it whether it answers before claiming anything, so it
// holds no rows (nor SQLite's write lock) while a dead cache takes its time to refuse; and it logs
// once when the cache goes down and once when it is back, not every round. The same holds for the
// database.
func TestTheWorkerBacksOffQuietlyWhileTheCacheOrTheDatabaseIsDown(t *testing.T) {
	t.Parallel()
	f := newWorkerFixture(t, 100)
	ctx := context.Background()
	f.write(t, article.EventUpdated)

	f.cache.down.Store(true)
	mark := len(f.journal.Entries())
	for range 5 {
		f.worker.Round(ctx)
	}
	if got := f.journal.Since(mark); !slices.Equal(got, []string{"rollback"}) {
		t.Fatalf("five rounds with the cache down: %v, want one claim rolled back and then none", got)
	}
	f.cache.down.Store(false)
	f.worker.Round(ctx)
	f.worker.Round(ctx)

	f.log.down.Store(true)
	for range 5 {
		f.worker.Round(ctx)
	}
	f.log.down.Store(false)
	f.worker.Round(ctx)

	var lines []string
	for _, e := range f.logs.All() {
		lines = append(lines, e.Level.String()+": "+e.Message)
	}
	want := []string{
		"warn: cache refuses invalidations: the writes' invalidations are kept and retried until it accepts them",
		"info: cache invalidations applied again",
		"error: database unreachable: pending cache invalidations wait for it",
		"info: cache invalidations applied again",
	}
	if !slices.Equal(lines, want) {
		t.Fatalf("logs:\n got %q\nwant %q", lines, want)
	}
	if f.metrics.failures[content.FailureCache] != 5 || f.metrics.failures[content.FailureDatabase] != 5 {
		t.Fatalf("failures %v, want 5 of each", f.metrics.failures)
	}
	if n := f.pending(t); n != 0 {
		t.Fatalf("%d pending after recovery", n)
	}
}

// Run rounds at its interval until its context ends.
func TestRunAppliesPendingInvalidationsUntilStopped(t *testing.T) {
	t.Parallel()
	f := newWorkerFixture(t, 100)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.worker.Run(ctx) }()
	f.write(t, tag.EventDeleted)
	deadline := time.Now().Add(2 * time.Second)
	for f.pending(t) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the running worker did not apply the write's invalidation")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

func TestEveryEventNamesTheNamespacesItMakesStale(t *testing.T) {
	t.Parallel()
	all := []string{content.NSArticles, content.NSTags, content.NSArticle}
	for typ, want := range map[string][]string{
		article.EventCreated: all, article.EventUpdated: all, article.EventPublished: all,
		article.EventUnpublished: all, article.EventArchived: all, article.EventDeleted: all,
		tag.EventCreated: {content.NSTags}, tag.EventUpdated: all, tag.EventDeleted: all,
		"page.updated": all, // unknown to the table: everything, never nothing
	} {
		if got := content.Namespaces(typ); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", typ, got, want)
		}
	}
}
