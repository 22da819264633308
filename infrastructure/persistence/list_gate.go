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

// listGate bounds how many expensive article list queries run at once: pages at an offset (a walk
// of up to 10,000 index entries before the page's rows) and counts (a walk of every match, once per
// content generation). A first page or a page after a cursor reads about its own rows and passes
// freely, as do reads of one article. A machine has a few cores: when the 32 connections of one
// flood of deep pages each ran one, a read of one article shared the CPU (and on PostgreSQL the
// database's) with all of them and took 6–350 times its idle latency. Through the gate at most n
// run and the others wait without burning CPU.
type listGate struct {
	slots *semaphore.Weighted
	wait  time.Duration
}

// listConcurrency is the configured bound, or the automatic one: one less than the CPUs Go uses, at
// least 1, so that everything that never passes the gate finds a free CPU instead of waiting for a
// deep page to be preempted. Measured on two cores beside a flood of deep pages, an article read
// took 4–8 times its idle latency with two slots on SQLite and 14 times with ten on PostgreSQL
// (where the pages run in the database, on the same cores here); with one slot, 1–3 times on both.
// A PostgreSQL server with more cores than the API node can take more: raise the setting.
func listConcurrency(cfg config.Database) int {
	if cfg.ListConcurrency > 0 {
		return cfg.ListConcurrency
	}
	return max(1, runtime.GOMAXPROCS(0)-1)
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
