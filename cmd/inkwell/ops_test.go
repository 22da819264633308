package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

func TestOperationsEndpoints(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		app := newTestApp(t, d)
		c := app.Client
		if r := c.Do("GET", "/healthz", nil); r.Status != 200 {
			t.Fatalf("healthz: %d", r.Status)
		}
		if r := c.Do("GET", "/readyz", nil); r.Status != 200 {
			t.Fatalf("readyz: %d %s", r.Status, r.Body)
		}
		// Metrics have their own listener (TestServeStartsTheSideListenersOnlyWhenSetAndOnlyThere).
		if r := c.Do("GET", "/metrics", nil); r.Status != 404 || r.Code(t) != "route_not_found" {
			t.Fatalf("/metrics on the API listener: %d", r.Status)
		}
		if r := c.Do("GET", "/openapi.yaml", nil); r.Status != 200 || !strings.HasPrefix(string(r.Body), "openapi: 3.1") {
			t.Fatalf("openapi.yaml: %d", r.Status)
		}
	})
}

func TestReadyzFailsWhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, config.DialectSQLite)
	_ = app.DB.SQL.Close()
	r := app.Client.AllowingServerErrors().Do("GET", "/readyz", nil)
	if r.Status != http.StatusServiceUnavailable || r.Code(t) != "not_ready" {
		t.Fatalf("want 503 not_ready, got %d %s", r.Status, r.Body)
	}
}

func TestUnknownRoutesAndMethodsAreProblems(t *testing.T) {
	t.Parallel()
	c := newTestApp(t, config.DialectSQLite).Client
	if r := c.Do("GET", "/api/v1/nothing-here", nil); r.Status != 404 || r.Code(t) != "route_not_found" {
		t.Fatalf("unknown route: %d %s", r.Status, r.Body)
	}
	if r := c.Do("DELETE", "/healthz", nil); r.Status != 405 || r.Code(t) != "method_not_allowed" {
		t.Fatalf("wrong method: %d %s", r.Status, r.Body)
	}
}

func TestRequestIDIsKeptWhenSaneAndReplacedOtherwise(t *testing.T) {
	t.Parallel()
	c := newTestApp(t, config.DialectSQLite).Client
	if r := c.Do("GET", "/healthz", nil, "X-Request-ID", "edge-42.abc"); r.Header.Get("X-Request-ID") != "edge-42.abc" {
		t.Fatalf("sane id not kept: %q", r.Header.Get("X-Request-ID"))
	}
	r := c.Do("GET", "/api/v1/missing", nil, "X-Request-ID", "bad id\twith spaces")
	got := r.Header.Get("X-Request-ID")
	if got == "" || strings.Contains(got, " ") {
		t.Fatalf("insane id not replaced: %q", got)
	}
	if r.Map(t)["request_id"] != got {
		t.Fatalf("problem request_id %v differs from header %q", r.Map(t)["request_id"], got)
	}
}

func TestOversizedBodyIs413(t *testing.T) {
	t.Parallel()
	c := newTestApp(t, config.DialectSQLite, func(c *config.Config) { c.HTTP.BodyLimit = 1024 }).Client
	r := c.Do("POST", "/api/v1/anything", strings.Repeat("x", 2048))
	if r.Status != http.StatusRequestEntityTooLarge || r.Code(t) != "body_too_large" {
		t.Fatalf("want 413 body_too_large, got %d %s", r.Status, r.Body)
	}
}

func TestPanicIsA500ProblemWithoutDetails(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, config.DialectSQLite)
	app.Engine.GET("/test-panic", func(*gin.Context) { panic("secret internals") })
	r := app.Client.AllowingServerErrors().Do("GET", "/test-panic", nil)
	if r.Status != 500 || r.Code(t) != "internal_error" || strings.Contains(string(r.Body), "secret") {
		t.Fatalf("want a generic 500 problem, got %d %s", r.Status, r.Body)
	}
}

func TestSecurityHeadersAndDocs(t *testing.T) {
	t.Parallel()
	c := newTestApp(t, config.DialectSQLite).Client
	r := c.Do("GET", "/healthz", nil)
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if r.Header.Get("Server") != "" {
		t.Errorf("version banner: %q", r.Header.Get("Server"))
	}
	if r := c.Do("GET", "/docs", nil); r.Status != 301 || r.Header.Get("Location") != "/docs/" {
		t.Fatalf("/docs: %d %q", r.Status, r.Header.Get("Location"))
	}
	docs := c.Do("GET", "/docs/", nil)
	if docs.Status != 200 || !strings.Contains(string(docs.Body), "swagger-ui") || !strings.Contains(string(docs.Body), "/openapi.yaml") {
		t.Fatalf("docs page: %d %.200s", docs.Status, docs.Body)
	}
	if asset := c.Do("GET", "/docs/swagger-ui-bundle.js", nil); asset.Status != 200 || len(asset.Body) < 100_000 {
		t.Fatalf("docs assets are not embedded: %d, %d bytes", asset.Status, len(asset.Body))
	}
}

func TestOverlongQueryStringIs414(t *testing.T) {
	t.Parallel()
	c := newTestApp(t, config.DialectSQLite).Client
	r := c.Do("GET", "/api/v1/articles?q="+strings.Repeat("a", 5000), nil)
	if r.Status != http.StatusRequestURITooLong || r.Code(t) != "uri_too_long" {
		t.Fatalf("want 414 uri_too_long, got %d %s", r.Status, r.Body)
	}
}
