// Package cacheaside reads public content through the cache and invalidates it after writes, the
// way the design asks: on a miss load from the database (one load per key at a time), on a write
// commit first, then bump the namespace generations and delete the entries, then delete them again
// after a short delay to close the read/write race.
package cacheaside

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sync/singleflight"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/reqctx"
)

// Options tune the cache-aside reader.
type Options struct {
	Enabled           bool
	TTL               time.Duration
	DoubleDeleteDelay time.Duration
	// Shared says every node uses this cache (Redis): with caching off, its write-position counter
	// still covers every node's writes, so reads need not ask the primary for its position.
	Shared bool
}

// Aside wraps a Cache with typed reads, singleflight and invalidation.
type Aside struct {
	cache    application.Cache
	opts     Options
	flight   singleflight.Group
	log      *zap.Logger
	replicas application.ReadReplicas // nil: every load reads the primary

	// Second deletes still to run: Close waits for them, so none outlives the cache client (or a
	// test's logger).
	mu      sync.Mutex
	closed  bool
	pending sync.WaitGroup
}

// New returns the cache-aside helper. With opts.Enabled false every read goes to the loader.
func New(cache application.Cache, opts Options, log *zap.Logger) *Aside {
	return &Aside{cache: cache, opts: opts, log: log.Named("cache")}
}

// UseReplicas lets the loads read from r's replicas when they are fresh enough (see readAt). It is
// called once, when the application is assembled, before any read.
func (a *Aside) UseReplicas(r application.ReadReplicas) *Aside {
	if r != nil && r.Enabled() {
		a.replicas = r
	}
	return a
}

// Read replicas never answer with content older than what a read must show. Every write, after
// its commit and before its cache invalidation (Bump), raises the shared position counter to the
// primary's current WAL position, which is past its commit record; only then is it acknowledged.
// A load reads that counter after it read the generation its result is cached under, and marks
// its context with it: a replica that has not replayed that far is skipped and the primary
// answers. So an entry refilled under a generation never holds a row older than the writes that
// generation's bump retired, and a read that starts after a write was acknowledged sees it. When
// the counter cannot be trusted or read (caching off on a cache not shared by every node, cache
// down, key lost), the primary's current position is asked instead: one small query, still
// correct, but it includes every later write of the whole cluster, so a replica must be fully
// caught up to answer.

// positionKey is the counter of the primary's WAL position after the last recorded write.
const positionKey = "wal:content"

// readAt marks ctx with the position its load needs; fromCache says the counter may be used (the
// generation was read from the cache just before). On any failure ctx stays unmarked: the primary.
func (a *Aside) readAt(ctx context.Context, fromCache bool) context.Context {
	if a.replicas == nil {
		return ctx
	}
	if fromCache {
		if pos, err := a.cache.Counter(ctx, positionKey); err == nil && pos > 0 {
			return a.replicas.ReadAt(ctx, pos)
		}
	}
	pos, err := a.replicas.Position(ctx)
	if err != nil {
		a.logger(ctx).Debug("primary position unknown, reading the primary", zap.Error(err))
		return ctx
	}
	return a.replicas.ReadAt(ctx, pos)
}

// recordPosition raises the position counter to the primary's current position; Bump calls it
// first, so no generation moves before the position its readers need is recorded.
func (a *Aside) recordPosition(ctx context.Context) error {
	if a.replicas == nil {
		return nil
	}
	pos, err := a.replicas.Position(ctx)
	if err != nil {
		return fmt.Errorf("cache: record write position: %w", err)
	}
	if err := a.cache.Raise(ctx, positionKey, pos); err != nil {
		return fmt.Errorf("cache: record write position: %w", err)
	}
	return nil
}

// Key builds the cache key of one entry in a namespace. The namespace's generation is part of the
// key, so bumping the generation makes every entry of the namespace unreachable at once, on every
// node: a reader that looked the generation up before a write can only fill an entry no later
// reader asks for.
func (a *Aside) Key(ctx context.Context, namespace, id string) (string, error) {
	gen, err := a.cache.Counter(ctx, generationKey(namespace))
	if err != nil {
		return "", fmt.Errorf("cache: generation of %s: %w", namespace, err)
	}
	return namespace + ":" + strconv.FormatInt(gen, 10) + ":" + id, nil
}

// Stamp returns the key an entry of namespace would be cached under now, generation included, so a
// caller can keep derived data (a rendered HTTP response) that is retired by the same generation
// bumps. ok is false when caching is off or the cache cannot say: the caller must not reuse then.
func (a *Aside) Stamp(ctx context.Context, namespace, id string) (string, bool) {
	if !a.opts.Enabled {
		return "", false
	}
	key, err := a.Key(ctx, namespace, id)
	if err != nil {
		a.logger(ctx).Debug("cache unavailable, not reusing rendered answers", zap.Error(err))
		return "", false
	}
	return key, true
}

// Load returns the value cached under key, or calls load, caches and returns its result. Concurrent
// misses on one key call load once. A cache failure is logged at debug and the loader answers: the
// cache must never be the reason a read fails. An outage is reported once, where it is seen — the
// cache's circuit breaker logs each state change and the metrics count every failed call — not once
// per read.
func Load[T any](ctx context.Context, a *Aside, namespace, id string, load func(ctx context.Context) (T, error)) (T, error) {
	if !a.opts.Enabled {
		return load(a.readAt(ctx, a.opts.Shared))
	}
	key, err := a.Key(ctx, namespace, id)
	if err != nil {
		a.logger(ctx).Debug("cache unavailable, reading the database", zap.Error(err))
		return load(a.readAt(ctx, false))
	}
	if raw, ok, err := a.cache.Get(ctx, key); err != nil {
		a.logger(ctx).Debug("cache get failed, reading the database", zap.String("key", key), zap.Error(err))
	} else if ok {
		var v T
		if err := json.Unmarshal(raw, &v); err == nil {
			return v, nil
		}
		a.logger(ctx).Warn("cache entry unreadable, reloading", zap.String("key", key))
	}
	// The shared load must not be cancelled by the first caller going away.
	res, err, _ := a.flight.Do(key, func() (any, error) {
		// The position is read after the generation (in Key), inside the flight: see readAt.
		v, err := load(a.readAt(context.WithoutCancel(ctx), true))
		if err != nil {
			return v, err
		}
		if raw, err := json.Marshal(v); err == nil {
			if err := a.cache.Set(ctx, key, raw, a.opts.TTL); err != nil {
				a.logger(ctx).Debug("cache set failed", zap.String("key", key), zap.Error(err))
			}
		}
		return v, nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return res.(T), nil
}

// Invalidate runs after a write has committed: it bumps the generations of the namespaces (lists,
// tags) and deletes the current entries of the given ids, then deletes them again after the
// configured delay. A failure is logged and not returned: the write has happened and must not be
// reported as failed. It is not lost either: the write's outbox row records the invalidation, and
// the invalidation worker (application/content) bumps the generations again until the cache
// accepts them. So the first refusal ends the attempt: every further call would wait for the same
// unreachable cache, and the entries of the old generations are unreachable once the worker bumps.
func (a *Aside) Invalidate(ctx context.Context, namespaces []string, entries map[string][]string) {
	ctx = context.WithoutCancel(ctx)
	if err := a.Bump(ctx, namespaces); err != nil {
		a.logger(ctx).Warn("cache invalidation deferred to the invalidation worker", zap.Error(err))
		return
	}
	keys := a.entryKeys(ctx, entries)
	if len(keys) == 0 {
		return
	}
	a.delete(ctx, keys)
	if a.opts.DoubleDeleteDelay > 0 {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.closed {
			return
		}
		a.pending.Add(1)
		time.AfterFunc(a.opts.DoubleDeleteDelay, func() {
			defer a.pending.Done()
			a.delete(ctx, keys)
		})
	}
}

// Close waits for the second deletes already scheduled (each at most DoubleDeleteDelay away) and
// schedules no more; the application calls it on shutdown, before the cache client closes.
func (a *Aside) Close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.pending.Wait()
}

// Bump increments the generations of namespaces, which retires every entry cached in them on every
// node, after recording the write position with replicas. It stops at the first step the cache (or
// the primary, for the position) refuses and returns that error.
func (a *Aside) Bump(ctx context.Context, namespaces []string) error {
	if err := a.recordPosition(ctx); err != nil {
		return err
	}
	for _, ns := range namespaces {
		if _, err := a.cache.Incr(ctx, generationKey(ns)); err != nil {
			return fmt.Errorf("cache: bump generation of %s: %w", ns, err)
		}
	}
	return nil
}

// Probe reads one generation counter: whether the cache answers, without changing anything.
func (a *Aside) Probe(ctx context.Context, namespace string) error {
	if _, err := a.cache.Counter(ctx, generationKey(namespace)); err != nil {
		return fmt.Errorf("cache: probe: %w", err)
	}
	return nil
}

func (a *Aside) entryKeys(ctx context.Context, entries map[string][]string) []string {
	var keys []string
	for ns, ids := range entries {
		for _, id := range ids {
			if id == "" {
				continue
			}
			key, err := a.Key(ctx, ns, id)
			if err != nil {
				a.logger(ctx).Error("cache invalidation failed", zap.String("namespace", ns), zap.Error(err))
				continue
			}
			keys = append(keys, key)
		}
	}
	return keys
}

func (a *Aside) delete(ctx context.Context, keys []string) {
	if err := a.cache.Delete(ctx, keys...); err != nil {
		a.logger(ctx).Error("cache delete failed", zap.Strings("keys", keys), zap.Error(err))
	}
}

// logger carries the request id when there is one, so a cache problem seen while serving a request
// joins that request's access-log line.
func (a *Aside) logger(ctx context.Context) *zap.Logger {
	if id := reqctx.RequestID(ctx); id != "" {
		return a.log.With(zap.String("request_id", id))
	}
	return a.log
}

func generationKey(namespace string) string { return "gen:" + namespace }
