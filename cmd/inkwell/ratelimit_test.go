package main

import (
	"net/http"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

func TestPublicAPIIsRateLimitedPerClientIP(t *testing.T) {
	t.Parallel()
	for name, redisURL := range map[string]func(t *testing.T) string{
		"memory": func(*testing.T) string { return "" },
		"redis":  func(t *testing.T) string { return testredis.URL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := redisURL(t)
			app := newTestApp(t, config.DialectSQLite, func(c *config.Config) {
				c.RateLimit.PublicRPS, c.RateLimit.PublicBurst = 0.2, 2
				c.Redis.URL = url
				c.Cache.Prefix = testredis.Prefix()
			})
			c := app.Client
			for i := range 2 {
				r := c.Do("GET", "/api/v1/articles-nowhere", nil)
				if r.Status == http.StatusTooManyRequests || r.Header.Get("RateLimit-Limit") != "2" {
					t.Fatalf("request %d within the burst: %d, RateLimit-Limit %q", i+1, r.Status, r.Header.Get("RateLimit-Limit"))
				}
			}
			r := c.Do("GET", "/api/v1/articles-nowhere", nil)
			if r.Status != http.StatusTooManyRequests || r.Code(t) != "rate_limited" {
				t.Fatalf("over the burst: %d %s", r.Status, r.Body)
			}
			if r.Header.Get("Retry-After") == "" || r.Header.Get("RateLimit-Remaining") != "0" || r.Header.Get("RateLimit-Reset") == "" {
				t.Fatalf("429 headers: %v", r.Header)
			}
			other := c.WithHeader("X-Forwarded-For", "203.0.113.9").Do("GET", "/api/v1/articles-nowhere", nil)
			if other.Status != http.StatusTooManyRequests {
				t.Fatalf("X-Forwarded-For from an untrusted peer must not change the client IP: %d", other.Status)
			}
			if ops := c.Do("GET", "/healthz", nil); ops.Status != 200 {
				t.Fatalf("operations endpoints are not rate limited: %d", ops.Status)
			}
		})
	}
}
