//go:build reliability

package reliability

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func createArticle(t *testing.T, c *client, title string) (id string) {
	t.Helper()
	r := c.must(t, http.StatusCreated, "POST", "/api/v1/admin/articles", map[string]any{
		"title": title, "body_markdown": "Body of " + title,
	})
	return r.json(t)["id"].(string)
}

func listLen(t *testing.T, c *client, path string) int {
	t.Helper()
	data, _ := c.must(t, http.StatusOK, "GET", path, nil).json(t)["data"].([]any)
	return len(data)
}

// (a) 50 editors PATCH one article with the same If-Match: exactly one wins, the article holds the
// winner's title and the revisions show exactly one change after the creation.
func TestConcurrentPatchesHaveOneWinner(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db)
		admin := s.client(s.token)
		id := createArticle(t, admin, "Contended")
		var wg sync.WaitGroup
		statuses := make([]int, 50)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := admin.do(context.Background(), "PATCH", "/api/v1/admin/articles/"+id,
					map[string]any{"title": fmt.Sprintf("Winner %d", i)}, "If-Match", `"1"`)
				if err != nil {
					t.Errorf("patch %d: %v", i, err)
					return
				}
				statuses[i] = r.status
			}()
		}
		wg.Wait()
		winner, ok200, ok412 := -1, 0, 0
		for i, st := range statuses {
			switch st {
			case http.StatusOK:
				ok200++
				winner = i
			case http.StatusPreconditionFailed:
				ok412++
			default:
				t.Errorf("patch %d answered %d", i, st)
			}
		}
		if ok200 != 1 || ok412 != 49 {
			t.Fatalf("50 concurrent PATCHes: %d × 200, %d × 412; want 1 and 49", ok200, ok412)
		}
		got := admin.must(t, http.StatusOK, "GET", "/api/v1/admin/articles/"+id, nil).json(t)
		if got["title"] != fmt.Sprintf("Winner %d", winner) || got["version"] != float64(2) {
			t.Fatalf("final state %v (version %v), want the winner's title at version 2", got["title"], got["version"])
		}
		if n := listLen(t, admin, "/api/v1/admin/articles/"+id+"/revisions"); n != 2 {
			t.Fatalf("revisions: %d, want 2 (creation + the one winning change)", n)
		}
		report("(a) %s: 50 concurrent PATCHes with one If-Match → 1 × 200, 49 × 412, 2 revisions", db.dialect)
	})
}

// (b) 100 concurrent POSTs with one Idempotency-Key create one article.
func TestConcurrentIdempotentPostsCreateOne(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db)
		admin := s.client(s.token)
		var wg sync.WaitGroup
		var created, inFlight, replayed atomic.Int32
		for range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := admin.do(context.Background(), "POST", "/api/v1/admin/articles",
					map[string]any{"title": "Once only", "body_markdown": "x"}, "Idempotency-Key", "create-once-only")
				switch {
				case err != nil:
					t.Errorf("post: %v", err)
				case r.status == http.StatusCreated && r.header.Get("Idempotent-Replayed") == "true":
					replayed.Add(1)
				case r.status == http.StatusCreated:
					created.Add(1)
				case r.status == http.StatusConflict:
					inFlight.Add(1)
				default:
					t.Errorf("post answered %d %s", r.status, r.body)
				}
			}()
		}
		wg.Wait()
		if created.Load() != 1 {
			t.Fatalf("%d first answers, want exactly 1", created.Load())
		}
		if n := listLen(t, admin, "/api/v1/admin/articles?limit=100"); n != 1 {
			t.Fatalf("100 concurrent POSTs with one key made %d articles, want 1", n)
		}
		report("(b) %s: 100 concurrent POSTs with one Idempotency-Key → 1 article (1 created, %d replayed, %d × 409 in flight)",
			db.dialect, replayed.Load(), inFlight.Load())
	})
}

// (e) SIGTERM under load: every request the server accepted (it reached a handler and so has an
// access-log line) gets a complete answer. Connections still in the kernel's accept queue when the
// listener closes are reset without ever reaching the server; they count as refused, not broken.
func TestSIGTERMDrainsAcceptedRequests(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db, "INKWELL_LOG_LEVEL=info", "INKWELL_LOG_ACCESS_LOG=true")
		admin := s.client(s.token)
		id := createArticle(t, admin, "Drained")
		// No keep-alive: each request is its own connection, so each is accepted or not on its own.
		admin.http.Transport = &http.Transport{DisableKeepAlives: true}
		var mu sync.Mutex
		complete := map[string]bool{}
		var refused atomic.Int32
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					rid := fmt.Sprintf("drain-%d-%d", w, i)
					var err error
					var r reply
					if (w+i)%4 == 0 {
						r, err = admin.do(context.Background(), "POST", "/api/v1/admin/articles",
							map[string]any{"title": "Load " + rid, "body_markdown": "x"}, "X-Request-ID", rid)
					} else {
						r, err = admin.do(context.Background(), "GET", "/api/v1/admin/articles/"+id, nil, "X-Request-ID", rid)
					}
					if err != nil {
						refused.Add(1)
						if errors.Is(err, syscall.ECONNREFUSED) {
							return
						}
						continue
					}
					if r.status >= 500 {
						t.Errorf("request %s answered %d during the drain", rid, r.status)
					}
					mu.Lock()
					complete[rid] = true
					mu.Unlock()
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		if err := s.terminate(); err != nil {
			t.Fatalf("SIGTERM: exit %v, want 0", err)
		}
		stop()
		wg.Wait()
		accepted := 0
		for _, line := range strings.Split(s.logs(), "\n") {
			var entry struct {
				Logger    string `json:"logger"`
				RequestID string `json:"request_id"`
			}
			if json.Unmarshal([]byte(line), &entry) != nil || entry.Logger != "access" || !strings.HasPrefix(entry.RequestID, "drain-") {
				continue
			}
			accepted++
			if !complete[entry.RequestID] {
				t.Errorf("request %s was accepted by the server but its answer never arrived complete", entry.RequestID)
			}
		}
		if accepted < 50 {
			t.Fatalf("only %d requests accepted before SIGTERM: the load did not run", accepted)
		}
		report("(e) %s: SIGTERM under load → %d requests accepted, all %d answered completely; %d connections refused or reset before reaching the server; exit 0",
			db.dialect, accepted, accepted, refused.Load())
	})
}
