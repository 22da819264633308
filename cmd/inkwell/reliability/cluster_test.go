//go:build reliability

package reliability

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// Two nodes on one PostgreSQL and one Redis, as production runs: a write on one node is seen by the
// next read on the other, and the leaderless workers (scheduled publishing, webhook delivery) share
// the work without doing any of it twice.
func TestTwoNodesShareCacheSchedulesAndDeliveries(t *testing.T) {
	t.Parallel()
	if len(testdb.Dialects(t)) < 2 {
		t.Skip("needs PostgreSQL: several nodes never share one SQLite file")
	}
	db := database{dialect: config.DialectPostgres, url: testdb.NewPostgresDatabase(t)}
	rcv, hook := newReceiver(t)
	env := []string{
		"INKWELL_REDIS_URL=" + testredis.URL(t), "INKWELL_CACHE_PREFIX=" + testredis.Prefix(),
		"INKWELL_WEBHOOK_ALLOW_PRIVATE_TARGETS=true", "INKWELL_WEBHOOK_POLL_INTERVAL=50ms",
		"INKWELL_CONTENT_SCHEDULER_INTERVAL=100ms", "INKWELL_CACHE_DOUBLE_DELETE_DELAY=200ms",
	}
	a := start(t, db, env...)
	b := start(t, db, env...)
	adminA, adminB := a.client(a.token), b.client(a.token)
	public := b.client("")

	// A write on node A is seen by the next read on node B (through the shared Redis cache).
	id := createArticle(t, adminA, "Shared 0")
	adminA.must(t, http.StatusOK, "POST", "/api/v1/admin/articles/"+id+"/publish", nil, "If-Match", `"1"`)
	slug := adminA.must(t, http.StatusOK, "GET", "/api/v1/admin/articles/"+id, nil).json(t)["slug"].(string)
	version := 2
	for i := 1; i <= 30; i++ {
		public.must(t, http.StatusOK, "GET", "/api/v1/articles/"+slug, nil) // warm B's view of the cache
		title := fmt.Sprintf("Shared %d", i)
		// A PATCH of a live article stages the change; publish-changes makes it live.
		adminA.must(t, http.StatusOK, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"title": title},
			"If-Match", fmt.Sprintf(`"%d"`, version))
		adminA.must(t, http.StatusOK, "POST", "/api/v1/admin/articles/"+id+"/publish-changes", nil,
			"If-Match", fmt.Sprintf(`"%d"`, version+1))
		version += 2
		if got := public.must(t, http.StatusOK, "GET", "/api/v1/articles/"+slug, nil).json(t)["title"]; got != title {
			t.Fatalf("write %d on node A, next read on node B saw %q, want %q", i, got, title)
		}
	}

	// Scheduled publishing and webhook delivery, shared by both nodes.
	adminA.must(t, http.StatusCreated, "POST", "/api/v1/admin/webhooks", map[string]any{
		"url": hook.URL, "events": []string{"article.published"}})
	at := time.Now().Add(2 * time.Second).UTC().Format(time.RFC3339Nano)
	var scheduled []string
	for i := range 20 {
		sid := createArticle(t, []*client{adminA, adminB}[i%2], fmt.Sprintf("Scheduled %d", i))
		adminA.must(t, http.StatusOK, "POST", "/api/v1/admin/articles/"+sid+"/schedule", map[string]any{"publish_at": at}, "If-Match", `"1"`)
		scheduled = append(scheduled, sid)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, sid := range scheduled {
		for !rcv.has(sid + " article.published") {
			if time.Now().After(deadline) {
				t.Fatalf("scheduled article %s was never published and announced", sid)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	time.Sleep(time.Second) // let any duplicate arrive before counting
	perArticle := map[string]int{}
	rcv.mu.Lock()
	for _, ev := range rcv.events {
		perArticle[strings.Fields(ev)[0]]++
	}
	rcv.mu.Unlock()
	for _, sid := range scheduled {
		got := adminB.must(t, http.StatusOK, "GET", "/api/v1/admin/articles/"+sid, nil).json(t)
		// created (1), scheduled (2), published by one node's scheduler (3): a second publish would be 4
		if got["status"] != "published" || got["version"] != float64(3) {
			t.Errorf("scheduled article %s: %v at version %v, want published once (version 3)", sid, got["status"], got["version"])
		}
		if perArticle[sid] != 1 {
			t.Errorf("scheduled article %s: %d distinct article.published events, want 1", sid, perArticle[sid])
		}
	}
	if n := rcv.posts.Load(); n != int32(len(rcv.events)) {
		t.Errorf("%d webhook POSTs for %d distinct events: a delivery was sent twice", n, len(rcv.events))
	}
	report("two nodes (PostgreSQL + Redis): 30 writes on A each seen by the next read on B; 20 scheduled articles published once each and announced once (%d deliveries)", rcv.posts.Load())
}
