package persistence

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestListGate: the gate admits n at once; the next waits for a release, answers lists_busy (503)
// past its wait, and gives up with the caller's context.
func TestListGate(t *testing.T) {
	t.Parallel()
	g := newListGate(1, 50*time.Millisecond)
	release, err := g.enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.enter(context.Background()); !errors.Is(err, ErrListsBusy) || shared.KindOf(err) != shared.KindUnavailable {
		t.Fatalf("a full gate answered %v, want lists_busy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.enter(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait answered %v, want the context's error", err)
	}
	admitted := make(chan error, 1)
	go func() {
		r, err := g.enter(context.Background())
		if err == nil {
			r()
		}
		admitted <- err
	}()
	time.Sleep(10 * time.Millisecond)
	release()
	if err := <-admitted; err != nil {
		t.Fatalf("a waiter was not admitted after the release: %v", err)
	}
	if newListGate(0, time.Second) != nil {
		t.Fatal("a gate of 0 slots would admit nothing")
	}
	if n := listConcurrency(config.Database{ListConcurrency: 3}); n != 3 {
		t.Fatalf("configured 3 slots, got %d", n)
	}
	if n := listConcurrency(config.Database{}); n < 1 {
		t.Fatalf("automatic slots %d, want at least 1", n)
	}
}
