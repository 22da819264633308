//go:build reliability

package reliability

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// (e) SIGTERM under load: every request the server accepted gets a complete answer; requests after
// the listener closed are refused at connect time (never half-answered).
func TestSIGTERMDrainsAcceptedRequests(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db)
		admin := s.client(s.token)
		id := createArticle(t, admin, "Drained")
		// No keep-alive: each request is its own connection, so "accepted" is unambiguous.
		admin.http.Transport = &http.Transport{DisableKeepAlives: true}
		var answered, refused, broken atomic.Int32
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					var err error
					var r reply
					if (w+i)%4 == 0 {
						r, err = admin.do(context.Background(), "POST", "/api/v1/admin/articles", map[string]any{"title": fmt.Sprintf("Load %d-%d", w, i), "body_markdown": "x"})
					} else {
						r, err = admin.do(context.Background(), "GET", "/api/v1/admin/articles/"+id, nil)
					}
					switch {
					case err == nil && r.status < 500:
						answered.Add(1)
					case err != nil && errors.Is(err, syscall.ECONNREFUSED):
						refused.Add(1)
						return
					default:
						broken.Add(1)
						t.Errorf("request broken during drain: status %d err %v", r.status, err)
					}
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		before := answered.Load()
		if err := s.terminate(); err != nil {
			t.Fatalf("SIGTERM: exit %v, want 0\n%s", err, s.stderr)
		}
		stop()
		wg.Wait()
		if before < 50 || broken.Load() != 0 {
			t.Fatalf("drain: %d answered before SIGTERM, %d broken", before, broken.Load())
		}
		report("(e) %s: SIGTERM under load → %d requests answered completely, 0 broken, %d refused after close, exit 0",
			db.dialect, answered.Load(), refused.Load())
	})
}
