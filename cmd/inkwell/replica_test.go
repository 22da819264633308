package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// TestAPausedReplicaNeverServesStaleReads is the scenario on a real streaming replica:
// while the replica replays, public reads go to it; once its replay is paused
// (pg_wal_replay_pause) writes go on, and every public read that starts after a write was
// acknowledged shows that write — lists and single articles, uncached and through cache refills,
// from the test's goroutine and from concurrent readers — because they fall back to the primary;
// after pg_wal_replay_resume the replica catches up and answers again. Not parallel: pausing the
// replica is global to its cluster.
func TestAPausedReplicaNeverServesStaleReads(t *testing.T) {
	replica := testdb.NeedReplica(t)
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache enabled=%v", cached), func(t *testing.T) {
			redisURL := testredis.URL(t)
			_, prefix := testredis.Client(t) // removes the test's keys when it ends
			f := newIdentityFixture(t, config.DialectPostgres, func(c *config.Config) {
				c.Database.ReplicaURLs = []string{replica.URLFor(t, c.Database.URL)}
				c.Cache.Enabled = cached
				// The production set-up: with caching off the shared cache still holds the write position.
				c.Redis.URL, c.Cache.Prefix = redisURL, prefix
			})
			app := f.app
			publishArticle(t, f.admin, "Before the pause", nil)
			waitForRoute(t, app, persistence.RouteReplica, "the replica never answered a read")

			s := startStaleWatch(t, app)
			write := func(phase string, n int) {
				for i := range n {
					a := publishArticle(t, f.admin, fmt.Sprintf("%s %d", phase, i), nil)
					s.acked(a.ID, a.Slug)
					for range 2 { // the first read may refill the cache, the second may be served from it
						if stale := s.check(a.ID, a.Slug); stale != "" {
							t.Errorf("%s: a read after the write's acknowledgement is stale: %s", phase, stale)
						}
					}
				}
			}

			write("streaming", 10)
			replica.Pause(t)
			write("paused, first", 1)
			behindBefore := app.DB.ReadsRouted()[persistence.RouteBehind]
			replicaBefore := app.DB.ReadsRouted()[persistence.RouteReplica]
			write("paused", 15)
			routed := app.DB.ReadsRouted()
			if got := routed[persistence.RouteBehind] - behindBefore; got < 15 {
				t.Errorf("while paused %d reads fell back to the primary as the replica was behind, want at least 15 (routed %v)", got, routed)
			}
			// Once a write committed after the pause, no read may go there.
			if got := routed[persistence.RouteReplica] - replicaBefore; got > 0 {
				t.Errorf("while paused %d reads went to the replica", got)
			}
			metrics := app.scrapeMetrics(t)
			if !strings.Contains(metrics, `inkwell_database_reads_total{reason="behind",target="primary"}`) ||
				!strings.Contains(metrics, "inkwell_database_replica_lag_bytes{replica=") {
				t.Errorf("metrics lack the replica figures:\n%s", grepLines(metrics, "inkwell_database_"))
			}

			replica.Resume(t)
			waitForRoute(t, app, persistence.RouteReplica, "after resume the replica never answered again")
			write("resumed", 10)
			reads, stale := s.stop()
			t.Logf("routed %v; concurrent readers: %d reads, %d stale", app.DB.ReadsRouted(), reads, stale)
			if stale > 0 || reads == 0 {
				t.Errorf("concurrent readers: %d stale answers out of %d reads", stale, reads)
			}
		})
	}
}

// TestAnUnreachableReplicaCostsNoError: a replica that refuses connections is skipped and the
// primary answers every read.
func TestAnUnreachableReplicaCostsNoError(t *testing.T) {
	t.Parallel()
	f := newIdentityFixture(t, config.DialectPostgres, func(c *config.Config) {
		c.Database.ReplicaURLs = []string{"postgres://postgres@127.0.0.1:1/nowhere?sslmode=disable"}
		c.Cache.Enabled = false
	})
	a := publishArticle(t, f.admin, "Only on the primary", nil)
	for range 20 {
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read")
		ids, _ := listIDs(t, mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles", nil), 200, "list"))
		if !containsID(ids, a.ID) {
			t.Fatalf("the list lacks the article")
		}
	}
	if n := f.app.DB.ReadsRouted()[persistence.RouteReplica]; n != 0 {
		t.Errorf("%d reads went to an unreachable replica", n)
	}
	if n := f.app.DB.ReadsRouted()[persistence.RouteUnavailable]; n < 40 {
		t.Errorf("%d reads counted as replica unavailable, want at least 40", n)
	}
}

// staleWatch reads the public API concurrently with the writes: each read notes the last
// acknowledged write before it starts and counts as stale when its answer lacks it.
type staleWatch struct {
	h           http.Handler
	last        atomic.Pointer[[2]string] // id, slug of the last acknowledged write
	reads, bad  atomic.Int64
	done        chan struct{}
	wg          sync.WaitGroup
	firstStale  atomic.Pointer[string]
	stopOnce    sync.Once
	readerCount int
}

func startStaleWatch(t *testing.T, app *testApp) *staleWatch {
	s := &staleWatch{h: app.Server.Handler, done: make(chan struct{}), readerCount: 2}
	for range s.readerCount {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for {
				select {
				case <-s.done:
					return
				default:
				}
				last := s.last.Load()
				if last == nil {
					time.Sleep(time.Millisecond)
					continue
				}
				s.reads.Add(1)
				if stale := s.check(last[0], last[1]); stale != "" {
					s.bad.Add(1)
					s.firstStale.CompareAndSwap(nil, &stale)
				}
			}
		}()
	}
	t.Cleanup(func() { s.stop() })
	return s
}

func (s *staleWatch) acked(id, slug string) { s.last.Store(&[2]string{id, slug}) }

func (s *staleWatch) stop() (reads, stale int64) {
	s.stopOnce.Do(func() { close(s.done); s.wg.Wait() })
	return s.reads.Load(), s.bad.Load()
}

// check reads the first list page and the article: both must show the acknowledged write.
func (s *staleWatch) check(id, slug string) string {
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	code, body := s.get("/api/v1/articles?limit=100")
	if code != 200 || json.Unmarshal(body, &page) != nil {
		return fmt.Sprintf("list answered %d %s", code, body)
	}
	found := false
	for _, item := range page.Data {
		found = found || item.ID == id
	}
	if !found {
		return "the list lacks article " + id
	}
	if code, body := s.get("/api/v1/articles/" + slug); code != 200 {
		return fmt.Sprintf("article %s answered %d %s", slug, code, body)
	}
	return ""
}

func (s *staleWatch) get(path string) (int, []byte) {
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.Bytes()
}

// waitForRoute reads the public list until one read is routed to route (within 2 min).
func waitForRoute(t *testing.T, app *testApp, route, failure string) {
	t.Helper()
	before := app.DB.ReadsRouted()[route]
	deadline := time.Now().Add(2 * time.Minute) // a replica replaying a busy primary under a loaded machine can trail by tens of seconds
	for i := 0; time.Now().Before(deadline); i++ {
		// A new limit each time: a cache miss, so the database is read.
		mustStatus(t, app.Client.Do("GET", fmt.Sprintf("/api/v1/articles?limit=%d", i%99+1), nil), 200, "list")
		if app.DB.ReadsRouted()[route] > before {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s (routed %v, replicas %+v)", failure, app.DB.ReadsRouted(), app.DB.ReplicaStatuses())
}
