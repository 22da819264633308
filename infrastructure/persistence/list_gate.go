package persistence

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// ErrListsBusy answers a list that waited its longest for a query slot: the lists are flooded, not
// broken, and the same request should work shortly (503 with Retry-After).
var ErrListsBusy = shared.New(shared.KindUnavailable, "lists_busy",
	"too many list queries are running at the moment; retry shortly")

// listGate bounds how many article list queries (a page, a count, a search) run at once. A list
// page costs many times a read of one article (up to 100 rows with their tags and authors, and on
// a cache miss a walk of up to 10,000 index entries), and a machine has a few cores: when 32
// connections of one flood each run one, a read of one article shares the CPU and the connection
// pool with all of them and took 200–350 times its idle latency. Through the gate at most n run,
// the others wait without burning CPU, and reads of one article, which never pass it, run beside
// at most n lists.
type listGate struct {
	slots *semaphore.Weighted
	wait  time.Duration
}

// listConcurrency is the configured bound, or the automatic one. On SQLite a list runs in this
// process, on the CPUs Go schedules: one of them is left to everything that never passes the gate,
// so a read of one article finds a free one instead of waiting for a list to be preempted (with as
// many lists as CPUs, a read beside a flood took 4–8 times its idle latency; with one CPU left,
// 1.3–3 times). On PostgreSQL a list waits on the server, whose CPUs this process cannot count: half
// of the pool, leaving the other half to reads and writes.
func listConcurrency(cfg config.Database, d config.Dialect) int {
	switch {
	case cfg.ListConcurrency > 0:
		return cfg.ListConcurrency
	case d == config.DialectSQLite:
		return max(1, runtime.GOMAXPROCS(0)-1)
	default:
		return max(1, cfg.MaxOpenConns/2)
	}
}

// newListGate admits n list queries at once; below 1 (refused by the configuration) it admits all.
func newListGate(n int, wait time.Duration) *listGate {
	if n < 1 {
		return nil
	}
	return &listGate{slots: semaphore.NewWeighted(int64(n)), wait: wait}
}

// enter waits for a slot, at most the gate's wait (or until ctx ends), and returns its release.
func (g *listGate) enter(ctx context.Context) (func(), error) {
	if g == nil {
		return func() {}, nil
	}
	wctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	if err := g.slots.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("list gate: %w", ctx.Err())
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, ErrListsBusy
		}
		return nil, fmt.Errorf("list gate: %w", err)
	}
	return func() { g.slots.Release(1) }, nil
}
