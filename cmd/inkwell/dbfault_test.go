package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// newAppThroughProxy boots the app on a fresh PostgreSQL database whose connections go through a
// proxy the test controls.
func newAppThroughProxy(t *testing.T) (*identityFixture, *testdb.Proxy) {
	t.Helper()
	db, proxy := testdb.ConfigThroughProxy(t)
	f := newIdentityFixture(t, config.DialectPostgres, func(c *config.Config) { c.Database = db })
	return f, proxy
}

// mustUnavailable checks a database-fault answer: 503 problem+json database_unavailable (or
// not_ready from /readyz) with Retry-After, validated against the contract by the client.
func mustUnavailable(t *testing.T, r *apitest.Response, code, what string) {
	t.Helper()
	if r.Status != http.StatusServiceUnavailable || r.Code(t) != code {
		t.Fatalf("%s: %d %s; want 503 %s", what, r.Status, r.Body, code)
	}
	if got := r.Header.Get("Retry-After"); got != "3" {
		t.Errorf("%s: Retry-After %q, want %d", what, got, problem.RetryAfter)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), problem.ContentType) {
		t.Errorf("%s: Content-Type %q", what, r.Header.Get("Content-Type"))
	}
}

// TestDatabaseOutageIs503AndHealsWithoutRestart: with PostgreSQL refusing connections, reads that
// need it and writes answer 503 with Retry-After (never 500), /readyz takes the node out, /healthz
// keeps it alive, and public answers already cached keep being served, declaring stale-if-error.
// When PostgreSQL answers again, the same process serves everything again.
func TestDatabaseOutageIs503AndHealsWithoutRestart(t *testing.T) {
	t.Parallel()
	f, proxy := newAppThroughProxy(t)
	public := f.app.Client
	cached := publishArticle(t, f.admin, "Read before the outage", nil)
	uncached := publishArticle(t, f.admin, "Never read before the outage", nil)
	first := mustStatus(t, public.Do("GET", "/api/v1/articles/"+cached.Slug, nil), 200, "warm the cache")
	if cc := first.Header.Get("Cache-Control"); !strings.Contains(cc, "stale-if-error=86400") {
		t.Errorf("public Cache-Control %q does not declare stale-if-error", cc)
	}

	proxy.Cut()
	down := public.AllowingServerErrors()
	admin := f.admin.AllowingServerErrors()
	mustUnavailable(t, down.Do("GET", "/api/v1/articles/"+uncached.Slug, nil), "database_unavailable", "uncached public read")
	mustUnavailable(t, down.Do("GET", "/api/v1/tags?limit=7", nil), "database_unavailable", "uncached public list")
	mustUnavailable(t, admin.Do("POST", "/api/v1/admin/articles", map[string]any{"title": "During the outage"}),
		"database_unavailable", "write")
	mustUnavailable(t, admin.Do("GET", "/api/v1/admin/articles/"+cached.ID, nil), "database_unavailable", "management read")
	mustUnavailable(t, down.Do("GET", "/readyz", nil), "not_ready", "readyz")
	mustStatus(t, down.Do("GET", "/healthz", nil), 200, "healthz during the outage")
	again := mustStatus(t, down.Do("GET", "/api/v1/articles/"+cached.Slug, nil), 200, "cached public read during the outage")
	if string(again.Body) != string(first.Body) {
		t.Errorf("the cached answer changed during the outage")
	}
	metrics := f.app.scrapeMetrics(t)
	for _, want := range []string{
		`inkwell_http_problems_total{code="database_unavailable",route="/api/v1/articles/:slug"} 1`,
		`inkwell_http_problems_total{code="database_unavailable",route="/api/v1/admin/articles"} 1`,
		"inkwell_database_unavailable_total",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	proxy.Restore()
	deadline := time.Now().Add(10 * time.Second)
	for down.Do("GET", "/readyz", nil).Status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	mustStatus(t, public.Do("GET", "/api/v1/articles/"+uncached.Slug, nil), 200, "public read after the outage")
	mustStatus(t, public.Do("GET", "/api/v1/tags?limit=7", nil), 200, "public list after the outage")
	mustStatus(t, f.admin.Do("POST", "/api/v1/admin/articles", map[string]any{"title": "After the outage"}), 201, "write after the outage")
}

// TestPublicReadWhoseConnectionDropsIsRetried: a public read whose database connection drops
// mid-statement is retried once on another connection and answers 200; the retry is counted.
func TestPublicReadWhoseConnectionDropsIsRetried(t *testing.T) {
	t.Parallel()
	f, proxy := newAppThroughProxy(t)
	a := publishArticle(t, f.admin, "Dropped mid-read", nil)
	proxy.DropOnNext(a.Slug)
	r := mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read with a dropped connection")
	if proxy.Dropped() != 1 || !strings.Contains(string(r.Body), a.ID) {
		t.Fatalf("dropped %d connections; body %s", proxy.Dropped(), r.Body)
	}
	metrics := f.app.scrapeMetrics(t)
	if !strings.Contains(metrics, `inkwell_database_read_retries_total{result="success"} 1`) {
		t.Errorf("the retry is not counted:\n%s", grepLines(metrics, "inkwell_database"))
	}
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
