package idempotency_test

import (
	"context"
	"errors"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/worker"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

func newPurger(store *fakeStore, clock *apptest.Clock) (*idempotency.Purger, *observer.ObservedLogs) {
	svc := idempotency.NewService(idempotency.Config{PurgeInterval: 5 * time.Millisecond}, store, clock, &apptest.IDs{})
	core, logs := observer.New(zapcore.InfoLevel)
	return idempotency.NewPurger(svc, worker.Backoff{}, zap.New(core)), logs
}

// runFor runs p until cond holds (or a few seconds pass), then stops it and checks Run returned nil.
func runFor(t *testing.T, p *idempotency.Purger, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !cond() {
		t.Fatal("the condition never held")
	}
}

func TestPurgerDeletesExpiredRecordsOnEveryTick(t *testing.T) {
	t.Parallel()
	store, clock := newFakeStore(), apptest.NewClock(t0)
	p, logs := newPurger(store, clock)
	svc := idempotency.NewService(idempotency.Config{}, store, clock, &apptest.IDs{})
	if _, err := svc.Begin(ctx, alice, "old", request); err != nil {
		t.Fatal(err)
	}
	clock.Advance(25 * time.Hour)
	if _, err := svc.Begin(ctx, alice, "new", request); err != nil {
		t.Fatal(err)
	}
	calls := func() int {
		store.mu.Lock()
		defer store.mu.Unlock()
		return store.purges
	}
	runFor(t, p, func() bool { return calls() >= 3 })
	if store.len() != 1 {
		t.Fatalf("%d records left, want only the live one", store.len())
	}
	if _, found, _ := store.Get(ctx, alice, "new"); !found {
		t.Fatal("the live record was purged")
	}
	if n := logs.FilterMessage("purged expired idempotency keys").Len(); n != 1 {
		t.Fatalf("%d purge reports, want one (later ticks found nothing)", n)
	}
}

func TestPurgerLogsEachFailureOnceAndKeepsGoing(t *testing.T) {
	t.Parallel()
	store, clock := newFakeStore(), apptest.NewClock(t0)
	store.setErr(errors.New("database down"))
	p, logs := newPurger(store, clock)
	var ticks int
	runFor(t, p, func() bool {
		store.mu.Lock()
		defer store.mu.Unlock()
		ticks = store.purges
		return ticks >= 3
	})
	failures := logs.FilterMessage("purge expired idempotency keys")
	// A tick cut short by the cancel is not logged, so one tick may be missing.
	if failures.Len() < ticks-1 || failures.Len() > ticks {
		t.Fatalf("%d failure logs for %d failed ticks, want one per tick", failures.Len(), ticks)
	}
	for _, e := range failures.All() {
		if e.Level != zapcore.ErrorLevel || e.ContextMap()["error"] != "idempotency: purge: database down" {
			t.Fatalf("failure logged as %v %v", e.Level, e.ContextMap())
		}
	}
}
