package content

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
)

// Invalidations cannot be lost. A write's cache invalidation is recorded in the write's own
// transaction, by the outbox row of its event, which every write appends anyway: no statement is
// added to the request path, and a committed write always has its record. After the commit the
// service invalidates at once (the fast path); the Invalidator below then re-applies the
// invalidation of every recorded write, in every node, shortly after it committed, and retries
// until the cache accepts it. An invalidation is the bump of namespace generations, which is
// idempotent in effect (one more bump only retires entries once more), so applying it again after
// the fast path succeeded is harmless, and a batch of writes costs one bump per namespace.
//
// Why the outbox row and not a table of its own: a row of its own would be one more INSERT in every
// write (the request path has a statement budget), and the outbox row already commits or rolls
// back with the write and names the event, which names the namespaces (Namespaces). Why re-apply
// even after a successful fast path: marking the row applied from the request would be one more
// statement per write, and a batch of re-applied writes costs at most one bump per namespace per
// interval, and it also retires an entry filled after the fast path from a read replica that had
// not caught up with the write yet.
//
// Bound: a write whose fast path failed is invalidated by the first tick after the cache answers
// again, so no read returns content older than the last acknowledged write for more than about one
// interval once the cache is reachable, never the TTL.

// PendingInvalidation is a committed write whose cache invalidation the cache has not confirmed
// yet: an outbox event not yet marked applied.
type PendingInvalidation struct {
	ID         string
	Type       string // the event type, which names the namespaces to bump (Namespaces)
	OccurredAt time.Time
}

// InvalidationBacklog is what is pending: how many invalidations, and the oldest one's time (zero
// when none).
type InvalidationBacklog struct {
	Pending int
	Oldest  time.Time
}

// InvalidationLog is the record of the invalidations writes need: the outbox, read back.
type InvalidationLog interface {
	// ClaimPendingInvalidations returns up to limit pending invalidations, oldest first, locked for
	// the transaction in ctx: another node's claim skips them.
	ClaimPendingInvalidations(ctx context.Context, limit int) ([]PendingInvalidation, error)
	// MarkInvalidationsApplied records that the cache accepted the invalidations of ids.
	MarkInvalidationsApplied(ctx context.Context, ids []string, at time.Time) error
	// PendingInvalidations counts the invalidations not applied yet.
	PendingInvalidations(ctx context.Context) (InvalidationBacklog, error)
}

// InvalidationMetrics observes the invalidation worker.
type InvalidationMetrics interface {
	InvalidationsApplied(n int)
	// InvalidationFailed counts a round that could not apply pending invalidations, by reason:
	// FailureCache or FailureDatabase.
	InvalidationFailed(reason string)
	InvalidationBacklogObserved(b InvalidationBacklog, now time.Time)
}

// Reasons an invalidation round fails.
const (
	FailureCache    = "cache"
	FailureDatabase = "database"
)

// InvalidatorConfig tunes the invalidation worker; zero values take the defaults.
type InvalidatorConfig struct {
	Interval  time.Duration // time between rounds, and so the bound after the cache recovers (default 1s)
	BatchSize int           // invalidations claimed per transaction (default 500)
}

// Invalidator is the worker that re-applies recorded invalidations until the cache accepts them.
// It runs in every node with no leader: nodes share the pending rows through the database, as the
// webhook relay does.
type Invalidator struct {
	cfg     InvalidatorConfig
	tx      application.TxManager
	log     InvalidationLog
	cache   *cacheaside.Aside
	clock   application.Clock
	metrics InvalidationMetrics
	logger  *zap.Logger

	state     workerState // of the last round; only Run's goroutine touches it
	downSince time.Time
}

// NewInvalidator returns the worker; Run starts it.
func NewInvalidator(cfg InvalidatorConfig, tx application.TxManager, log InvalidationLog, cache *cacheaside.Aside,
	clock application.Clock, metrics InvalidationMetrics, logger *zap.Logger,
) *Invalidator {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.BatchSize < 1 {
		cfg.BatchSize = 500
	}
	return &Invalidator{cfg: cfg, tx: tx, log: log, cache: cache, clock: clock, metrics: metrics,
		logger: logger.Named("cache_invalidator")}
}

// Run works until ctx is done, then returns nil. It keeps its interval while the cache or the
// database is down (the bound holds from the first round after recovery) and logs only when its
// state changes, not every round.
func (w *Invalidator) Run(ctx context.Context) error {
	ticker := time.NewTicker(w.cfg.Interval)
	defer ticker.Stop()
	for {
		w.Round(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Round applies what is pending, updates the metrics and reports a change of state. Run calls it
// every interval; tests call it directly.
func (w *Invalidator) Round(ctx context.Context) {
	applied, err := w.applyPending(ctx)
	backlog, statsErr := w.log.PendingInvalidations(ctx)
	if ctx.Err() != nil {
		return
	}
	if statsErr == nil {
		w.metrics.InvalidationBacklogObserved(backlog, w.clock.Now())
	}
	if applied > 0 {
		w.metrics.InvalidationsApplied(applied)
	}
	var refused *cacheRefusal
	switch {
	case errors.As(err, &refused):
		w.metrics.InvalidationFailed(FailureCache)
		w.settle(stateCacheDown, err, backlog)
	case err != nil || statsErr != nil:
		w.metrics.InvalidationFailed(FailureDatabase)
		w.settle(stateDatabaseDown, errors.Join(err, statsErr), backlog)
	default:
		w.settle(stateHealthy, nil, backlog)
	}
}

// applyPending applies batches until none is full. While the cache is known to be down it first
// asks whether it answers again, outside any transaction: a claim would hold its rows (and on
// SQLite the write lock) for as long as a dead cache takes to refuse.
func (w *Invalidator) applyPending(ctx context.Context) (int, error) {
	if w.state == stateCacheDown {
		if err := w.cache.Probe(ctx, NSArticles); err != nil {
			return 0, &cacheRefusal{err: err}
		}
	}
	total := 0
	for ctx.Err() == nil {
		n, err := w.applyBatch(ctx)
		total += n
		if err != nil || n < w.cfg.BatchSize {
			return total, err
		}
	}
	return total, nil
}

// applyBatch claims pending invalidations, bumps the union of their namespaces and marks them
// applied, in one transaction: every claimed write committed before the claim, so a bump after the
// claim invalidates what it wrote. A bump the cache refuses rolls the claim back, and the rows wait
// for the next round.
func (w *Invalidator) applyBatch(ctx context.Context) (int, error) {
	var n int
	err := w.tx.Do(ctx, func(ctx context.Context) error {
		pending, err := w.log.ClaimPendingInvalidations(ctx, w.cfg.BatchSize)
		if err != nil || len(pending) == 0 {
			return err
		}
		types := make([]string, len(pending))
		ids := make([]string, len(pending))
		for i, p := range pending {
			types[i], ids[i] = p.Type, p.ID
		}
		// The claimed rows stay locked while the cache answers: give it at most one interval.
		bumpCtx, cancel := context.WithTimeout(ctx, w.cfg.Interval)
		defer cancel()
		if err := w.cache.Bump(bumpCtx, namespacesOf(types)); err != nil {
			return &cacheRefusal{err: err}
		}
		if err := w.log.MarkInvalidationsApplied(ctx, ids, w.clock.Now()); err != nil {
			return err
		}
		n = len(pending)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("cache invalidations: %w", err)
	}
	return n, nil
}

// cacheRefusal marks a round that failed because the cache refused, not the database.
type cacheRefusal struct{ err error }

func (e *cacheRefusal) Error() string { return e.err.Error() }
func (e *cacheRefusal) Unwrap() error { return e.err }

type workerState int

const (
	stateHealthy workerState = iota
	stateCacheDown
	stateDatabaseDown
)

// settle moves to next and logs the change, once: this loop is the boundary that handles the
// errors of its rounds.
func (w *Invalidator) settle(next workerState, err error, backlog InvalidationBacklog) {
	if next == w.state {
		return
	}
	prev, now := w.state, w.clock.Now()
	w.state = next
	fields := []zap.Field{zap.Int("pending", backlog.Pending), zap.Duration("retry_interval", w.cfg.Interval)}
	switch next {
	case stateCacheDown:
		w.downSince = now
		w.logger.Warn("cache refuses invalidations: the writes' invalidations are kept and retried until it accepts them",
			append(fields, zap.Error(err))...)
	case stateDatabaseDown:
		w.downSince = now
		w.logger.Error("database unreachable: pending cache invalidations wait for it", append(fields, zap.Error(err))...)
	case stateHealthy:
		w.logger.Info("cache invalidations applied again", append(fields,
			zap.String("after", prev.String()), zap.Duration("down_for", now.Sub(w.downSince)))...)
	}
}

func (s workerState) String() string {
	switch s {
	case stateCacheDown:
		return "cache down"
	case stateDatabaseDown:
		return "database down"
	default:
		return "healthy"
	}
}
