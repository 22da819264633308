package cache_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
)

// These tests run cache-aside over the real backends (in-process and Redis).

func TestConcurrentMissesLoadOnce(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, c application.Cache) {
		aside := cacheaside.New(c, cacheaside.Options{Enabled: true, TTL: time.Minute}, zap.NewNop())
		var loads atomic.Int32
		release := make(chan struct{})
		load := func(context.Context) (string, error) {
			loads.Add(1)
			<-release
			return "value", nil
		}
		var wg sync.WaitGroup
		var started atomic.Int32
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				started.Add(1)
				if v, err := cacheaside.Load(context.Background(), aside, "article", "x", load); err != nil || v != "value" {
					t.Errorf("load: %q %v", v, err)
				}
			}()
		}
		// Singleflight collapses the misses that overlap the load: keep the load open until every
		// reader has started and had time for its cache round trips, even on a loaded machine.
		for started.Load() < 50 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond)
		close(release)
		wg.Wait()
		if n := loads.Load(); n != 1 {
			t.Fatalf("50 concurrent misses loaded %d times, want 1", n)
		}
		if _, err := cacheaside.Load(context.Background(), aside, "article", "x", load); err != nil || loads.Load() != 1 {
			t.Fatalf("a later read missed the cache: %d loads", loads.Load())
		}
	})
}

// A reader that starts after Invalidate returned never sees the old value, however a racing reader
// that began before the write filled the cache.
func TestNoStaleReadAfterInvalidate(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, c application.Cache) {
		aside := cacheaside.New(c, cacheaside.Options{Enabled: true, TTL: time.Minute, DoubleDeleteDelay: 5 * time.Millisecond}, zap.NewNop())
		var db atomic.Int64 // the "database"
		ctx := context.Background()
		read := func() int64 {
			v, err := cacheaside.Load(ctx, aside, "list", "page1", func(context.Context) (int64, error) { return db.Load(), nil })
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		stop := make(chan struct{})
		var racers sync.WaitGroup
		for range 4 { // readers hammering the key while writes happen
			racers.Add(1)
			go func() {
				defer racers.Done()
				for {
					select {
					case <-stop:
						return
					default:
						read()
					}
				}
			}()
		}
		for i := int64(1); i <= 200; i++ {
			db.Store(i)                                  // commit
			aside.Invalidate(ctx, []string{"list"}, nil) // then invalidate
			if got := read(); got != i {                 // a read that starts after the write
				t.Fatalf("write %d: read after the write returned %d", i, got)
			}
		}
		close(stop)
		racers.Wait()
	})
}

func TestDisabledCacheAlwaysLoads(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, c application.Cache) {
		aside := cacheaside.New(c, cacheaside.Options{Enabled: false}, zap.NewNop())
		var loads atomic.Int32
		for range 3 {
			_, _ = cacheaside.Load(context.Background(), aside, "a", "b", func(context.Context) (int, error) { loads.Add(1); return 1, nil })
		}
		if loads.Load() != 3 {
			t.Fatalf("disabled cache: %d loads, want 3", loads.Load())
		}
	})
}
