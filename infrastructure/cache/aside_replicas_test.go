package cache_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
)

// fakeReplicas is a primary whose WAL position the test moves; ReadAt notes the position a load
// was marked with.
type fakeReplicas struct {
	mu      sync.Mutex
	primary int64
	down    bool
	asked   int
}

type markKey struct{}

func (f *fakeReplicas) Enabled() bool { return true }

func (f *fakeReplicas) Position(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked++
	if f.down {
		return 0, errors.New("primary down")
	}
	return f.primary, nil
}

func (f *fakeReplicas) ReadAt(ctx context.Context, pos int64) context.Context {
	return context.WithValue(ctx, markKey{}, pos)
}

func (f *fakeReplicas) set(pos int64, down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.primary, f.down = pos, down
}

// mark returns the position ctx was marked with, -1 when none (the primary answers).
func mark(ctx context.Context) int64 {
	if pos, ok := ctx.Value(markKey{}).(int64); ok {
		return pos
	}
	return -1
}

func TestLoadsNeedThePositionOfTheLastRecordedWrite(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, c application.Cache) {
		ctx := context.Background()
		r := &fakeReplicas{}
		aside := cacheaside.New(c, cacheaside.Options{Enabled: true, TTL: time.Minute}, zap.NewNop()).UseReplicas(r)
		load := func(id string) int64 {
			var got int64
			if _, err := cacheaside.Load(ctx, aside, "ns", id, func(ctx context.Context) (int, error) { got = mark(ctx); return 1, nil }); err != nil {
				t.Fatal(err)
			}
			return got
		}
		// Nothing recorded yet: the primary's current position is asked.
		r.set(100, false)
		if got := load("a"); got != 100 {
			t.Fatalf("first load marked %d, want the primary's 100", got)
		}
		// A write at 200 bumps: later loads need at least 200, read from the cache, not the primary.
		r.set(200, false)
		if err := aside.Bump(ctx, []string{"ns"}); err != nil {
			t.Fatal(err)
		}
		r.set(250, false) // writes of other databases move the primary on; the loads need not wait for them
		asked := r.asked
		if got := load("b"); got != 200 {
			t.Fatalf("load after the write marked %d, want 200", got)
		}
		if r.asked != asked {
			t.Fatalf("the load asked the primary for its position although the cache holds it")
		}
		// A bump whose position cannot be read moves no generation: its entries stay retired only
		// by the invalidation worker, and no reader is marked with too old a position.
		before, _ := aside.Key(ctx, "ns", "x")
		r.set(0, true)
		if err := aside.Bump(ctx, []string{"ns"}); err == nil {
			t.Fatal("a bump without a position succeeded")
		}
		if after, _ := aside.Key(ctx, "ns", "x"); after != before {
			t.Fatalf("the generation moved (%s -> %s) without a recorded position", before, after)
		}
		// Caching off: every load asks the primary; when it cannot answer, the load is unmarked.
		off := cacheaside.New(c, cacheaside.Options{Enabled: false}, zap.NewNop()).UseReplicas(r)
		r.set(300, false)
		_, _ = cacheaside.Load(ctx, off, "ns", "c", func(ctx context.Context) (int, error) {
			if got := mark(ctx); got != 300 {
				t.Errorf("uncached load marked %d, want 300", got)
			}
			return 1, nil
		})
		r.set(0, true)
		_, _ = cacheaside.Load(ctx, off, "ns", "c", func(ctx context.Context) (int, error) {
			if got := mark(ctx); got != -1 {
				t.Errorf("load marked %d while the position is unknown, want unmarked", got)
			}
			return 1, nil
		})
	})
}
