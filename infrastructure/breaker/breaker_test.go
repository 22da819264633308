package breaker_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
)

type recorder struct {
	mu       sync.Mutex
	states   []breaker.State
	failures []string
}

func (r *recorder) StateChanged(to breaker.State) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.states = append(r.states, to)
}

func (r *recorder) CallFailed(operation, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, operation+"/"+reason)
}

func (r *recorder) snapshot() ([]breaker.State, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]breaker.State(nil), r.states...), append([]string(nil), r.failures...)
}

const timeout = 50 * time.Millisecond

func newBreaker(t *testing.T, failures int, cooldown time.Duration) (*breaker.Breaker, *recorder, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	rec := &recorder{}
	b := breaker.New("cache", breaker.Settings{Timeout: timeout, Failures: failures, Cooldown: cooldown, Degraded: "reads go to the database"}, rec, zap.New(core))
	return b, rec, logs
}

func hang(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

var errRefused = errors.New("connection refused")

func TestACallThatHangsFailsWithinItsTimeout(t *testing.T) {
	t.Parallel()
	b, rec, _ := newBreaker(t, 5, time.Minute)
	start := time.Now()
	err := b.Do(context.Background(), "get", hang)
	if elapsed := time.Since(start); err == nil || elapsed > 10*timeout {
		t.Fatalf("hanging call: err %v after %s, want an error within about %s", err, elapsed, timeout)
	}
	if _, failures := rec.snapshot(); len(failures) != 1 || failures[0] != "get/timeout" {
		t.Fatalf("failures reported %v, want [get/timeout]", failures)
	}
}

func TestTheBreakerOpensFailsFastAndClosesByItself(t *testing.T) {
	t.Parallel()
	cooldown := 200 * time.Millisecond
	b, rec, logs := newBreaker(t, 2, cooldown)
	ctx := context.Background()
	for range 2 {
		if err := b.Do(ctx, "incr", func(context.Context) error { return errRefused }); !errors.Is(err, errRefused) {
			t.Fatalf("failing call: %v, want the backend's error", err)
		}
	}
	if b.State() != breaker.Open {
		t.Fatalf("after 2 failures the breaker is %s, want open", b.State())
	}
	called := false
	start := time.Now()
	for range 100 {
		if err := b.Do(ctx, "get", func(ctx context.Context) error { called = true; return hang(ctx) }); !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("call while open: %v, want ErrOpen", err)
		}
	}
	if called || time.Since(start) > timeout {
		t.Fatalf("calls while open reached the backend (%v) or waited (%s for 100)", called, time.Since(start))
	}
	time.Sleep(cooldown + 50*time.Millisecond)
	if err := b.Do(ctx, "get", func(context.Context) error { return nil }); err != nil {
		t.Fatalf("probe after the cool-down: %v", err)
	}
	if b.State() != breaker.Closed {
		t.Fatalf("after a good probe the breaker is %s, want closed", b.State())
	}
	states, failures := rec.snapshot()
	if want := []breaker.State{breaker.Closed, breaker.Open, breaker.HalfOpen, breaker.Closed}; !slices.Equal(states, want) {
		t.Errorf("states reported %v, want %v", states, want)
	}
	if len(failures) != 102 || failures[0] != "incr/error" || failures[2] != "get/open" {
		t.Errorf("failures reported: %d, first %v", len(failures), failures[:3])
	}
	if n := logs.FilterLevelExact(zapcore.WarnLevel).Len(); n != 1 {
		t.Errorf("%d warnings, want exactly one (on open), not one per call: %v", n, logs.All())
	}
	if n := logs.FilterLevelExact(zapcore.InfoLevel).FilterMessageSnippet("recovered").Len(); n != 1 {
		t.Errorf("%d recovery lines at info, want 1", n)
	}
}

func TestAFailedProbeReopensQuietly(t *testing.T) {
	t.Parallel()
	cooldown := 100 * time.Millisecond
	b, _, logs := newBreaker(t, 1, cooldown)
	ctx := context.Background()
	_ = b.Do(ctx, "get", func(context.Context) error { return errRefused })
	time.Sleep(cooldown + 30*time.Millisecond)
	_ = b.Do(ctx, "get", func(context.Context) error { return errRefused })
	if b.State() != breaker.Open {
		t.Fatalf("after a failed probe the breaker is %s, want open", b.State())
	}
	if n := logs.FilterLevelExact(zapcore.WarnLevel).Len(); n != 1 {
		t.Errorf("%d warnings, want one for the whole outage", n)
	}
}

func TestACallerGivingUpSaysNothingAboutTheBackend(t *testing.T) {
	t.Parallel()
	b, rec, _ := newBreaker(t, 1, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(5*time.Millisecond, cancel)
	if err := b.Do(ctx, "get", hang); !errors.Is(err, context.Canceled) {
		t.Fatalf("call of a cancelled caller: %v, want context.Canceled", err)
	}
	if err := b.Do(ctx, "get", hang); !errors.Is(err, context.Canceled) {
		t.Fatalf("call with a cancelled context: %v", err)
	}
	if b.State() != breaker.Closed {
		t.Fatalf("a cancelled caller opened the breaker")
	}
	if _, failures := rec.snapshot(); len(failures) != 0 {
		t.Fatalf("a cancelled caller was counted as a backend failure: %v", failures)
	}
}
