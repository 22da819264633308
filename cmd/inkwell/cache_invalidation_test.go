package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestAWriteDuringACacheFreezeIsReadFreshOnceTheCacheAnswers is the scenario on a real
// Redis: the cache freezes while a published article is PATCHed, so the write commits but its
// invalidation cannot reach the cache. Without the invalidation worker (as before it existed) the
// public read stays stale after the freeze, for the whole TTL; with it, the read is fresh within
// one retry interval (the default, 1 s) after the cache can be used again — once its circuit
// breaker closes, a cooldown after the cache answers — and stays fresh. While the breaker is open
// reads come from the database, so they are fresh then too.
func TestAWriteDuringACacheFreezeIsReadFreshOnceTheCacheAnswers(t *testing.T) {
	t.Parallel()
	const (
		interval = time.Second
		cooldown = 500 * time.Millisecond
		bound    = cooldown + interval + 500*time.Millisecond
	)
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		for name, withWorker := range map[string]bool{"with the invalidation worker": true, "without it": false} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				stall := testredis.NewStall(t)
				_, prefix := testredis.Client(t) // removes the test's keys when it ends
				// Short client timeouts and no retries: a frozen cache refuses quickly.
				redisURL := stall.URL(t, url.Values{"read_timeout": {"100ms"}, "write_timeout": {"100ms"}, "max_retries": {"-1"}})
				f := newIdentityFixture(t, d, func(c *config.Config) {
					c.Redis.URL, c.Cache.Prefix, c.Cache.InvalidationRetry = redisURL, prefix, interval
					c.Redis.BreakerCooldown = cooldown
				})
				if withWorker {
					startWorker(t, f.app, "cache-invalidator")
				}
				a := publishArticle(t, f.admin, "Frozen", map[string]any{"body_markdown": "old body"})
				read := func() any {
					return mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read").Map(t)["body_markdown"]
				}
				time.Sleep(interval + 200*time.Millisecond) // the worker has applied the publication's invalidations
				for range 2 {                               // the first read fills the cache, the second is served from it
					if got := read(); got != "old body" {
						t.Fatalf("the published article reads %q", got)
					}
				}

				stall.Freeze()
				started := time.Now()
				patchLive(t, f.admin, a, map[string]any{"body_markdown": "new body"})
				t.Logf("the PATCH during the freeze took %s", time.Since(started).Round(time.Millisecond))
				time.Sleep(interval + 200*time.Millisecond) // a round of the worker during the freeze fails too
				stall.Thaw()
				thawed := time.Now()

				if !withWorker {
					time.Sleep(bound)
					for range 3 {
						if got := read(); got != "old body" {
							t.Fatalf("without the worker the read is %q after the freeze: the scenario did not lose the invalidation", got)
						}
					}
					return
				}
				// Read for a while after the thaw: the last stale answer must come within the bound.
				lastStale := time.Duration(-1)
				for since := time.Duration(0); since < bound+time.Second; since = time.Since(thawed) {
					if read() != "new body" {
						lastStale = time.Since(thawed)
					}
					time.Sleep(10 * time.Millisecond)
				}
				if lastStale > bound {
					t.Fatalf("a read was stale %s after the cache answered again (bound %s)", lastStale, bound)
				}
				t.Logf("last stale read %s after the cache answered again (-1: none; breaker cooldown %s, retry interval %s)",
					lastStale.Round(time.Millisecond), cooldown, interval)
				for range 5 {
					if got := read(); got != "new body" {
						t.Fatalf("the read went back to %q", got)
					}
				}
				// The round that applied it reads the backlog right after its commit.
				var metrics string
				for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
					metrics = f.app.scrapeMetrics(t)
					if strings.Contains(metrics, "inkwell_cache_invalidations_pending 0\n") || time.Now().After(deadline) {
						break
					}
				}
				if !strings.Contains(metrics, "inkwell_cache_invalidations_pending 0\n") {
					t.Error("the pending invalidations gauge is not back to 0")
				}
				if strings.Contains(metrics, `inkwell_cache_invalidation_failures_total{reason="cache"} 0`+"\n") {
					t.Error("no failed round was counted during the freeze")
				}
			})
		}
	})
}

// startWorker runs the app's background worker name, as serve does, until the test ends.
func startWorker(t *testing.T, app *testApp, name string) {
	t.Helper()
	for _, w := range app.Workers {
		if w.Name != name {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		// Registered after the app's cleanup, so it runs first: the worker stops before the database closes.
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("%s: %v", name, err)
			}
		})
		return
	}
	t.Fatalf("the app has no %s worker", name)
}
