package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// redisTimeout is the per-call timeout of the degradation tests, the default of redis.timeout.
const redisTimeout = 100 * time.Millisecond

// TestARedisOutageCostsSpeedNotErrors runs the whole application with its Redis cache and rate
// limiter behind a proxy, then freezes the proxy (as kill -STOP of redis-server) or makes it refuse
// connections (a dead server): a PATCH answers 200 fast, public reads answer 200 from the database
// with the new content, the limiter lets requests through, no request is a 5xx (apitest fails the
// test on one), each breaker logs its opening once; once Redis is back the breakers close by
// themselves and reads are cached again. Time bounds are coarse on purpose: the figures are logged.
func TestARedisOutageCostsSpeedNotErrors(t *testing.T) {
	t.Parallel()
	faults := map[string]struct {
		fail, heal func(t *testing.T, p *testredis.Proxy)
	}{
		"frozen":  {func(_ *testing.T, p *testredis.Proxy) { p.Freeze() }, func(_ *testing.T, p *testredis.Proxy) { p.Resume() }},
		"refused": {func(_ *testing.T, p *testredis.Proxy) { p.Refuse() }, func(t *testing.T, p *testredis.Proxy) { p.Accept(t) }},
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, prefix := testredis.Client(t)
			proxy, url := testredis.NewProxy(t)
			core, logs := observer.New(zapcore.InfoLevel)
			f := bootstrapFixture(t, newTestAppLogging(t, config.DialectSQLite, zap.New(core), func(c *config.Config) {
				c.Redis.URL, c.Cache.Prefix = url, prefix
				c.Redis.Timeout, c.Redis.BreakerFailures, c.Redis.BreakerCooldown = redisTimeout, 1, 500*time.Millisecond
				c.RateLimit.PublicRPS, c.RateLimit.PublicBurst, c.RateLimit.TokenRPS, c.RateLimit.TokenBurst = 1000, 1000, 1000, 1000
			}))
			public := f.app.Client
			a := publishArticle(t, f.admin, "Before", nil)
			start := time.Now()
			for range 10 {
				mustStatus(t, public.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read with the cache up")
				mustStatus(t, public.Do("GET", "/api/v1/articles", nil), 200, "list with the cache up")
			}
			healthy := time.Since(start) / 20

			openings := func(breaker string) int {
				return logs.Filter(func(e observer.LoggedEntry) bool {
					return e.LoggerName == "breaker" && e.Level == zapcore.WarnLevel && e.ContextMap()["breaker"] == breaker
				}).Len()
			}
			// A loaded test machine can stall a healthy call past the timeout and open a breaker
			// before the fault: count the openings from here.
			openedBefore := map[string]int{"cache": openings("cache"), "ratelimit": openings("ratelimit")}
			fault.fail(t, proxy)
			start = time.Now()
			a = patchLive(t, f.admin, a, map[string]any{"title": "After"})
			patch := time.Since(start)
			start = time.Now()
			for range 10 {
				if got := mustStatus(t, public.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read during the outage").Map(t)["title"]; got != "After" {
					t.Fatalf("a read during the outage answered %q, want the database's %q", got, "After")
				}
				mustStatus(t, public.Do("GET", "/api/v1/articles", nil), 200, "list during the outage")
			}
			reads := time.Since(start) / 20
			t.Logf("Redis %s: PATCH answered in %s, public reads in %s on average (%s with Redis up; timeout %s)", name, patch, reads, healthy, redisTimeout)
			// Before the guards a PATCH took 25 s (five calls waiting 3 s or more each).
			if patch > 20*redisTimeout || reads > 10*redisTimeout {
				t.Errorf("during the outage a PATCH took %s and reads %s on average; want about one timeout (%s) at most", patch, reads, redisTimeout)
			}
			m := scrape(t, f.app)
			for _, breaker := range []string{"cache", "ratelimit"} {
				if v := m.value(t, `inkwell_circuit_breaker_state{breaker="`+breaker+`"}`); v != 2 {
					t.Errorf("%s breaker state %v during the outage, want 2 (open)", breaker, v)
				}
			}
			if m.sum(`inkwell_cache_errors_total{operation="\w+",reason="open"}`) == 0 || m.sum(`inkwell_ratelimit_fail_open_total{reason="open"}`) == 0 {
				t.Errorf("the outage is not counted:\n%s", m.matching("inkwell_cache_errors_total|inkwell_ratelimit_fail_open_total"))
			}
			for breaker, before := range openedBefore {
				if n := openings(breaker) - before; n > 1 {
					t.Errorf("the %s breaker logged %d openings for one outage, want one (not one per request)", breaker, n)
				}
			}
			if n := logs.FilterLevelExact(zapcore.ErrorLevel).FilterMessage("request failed").Len(); n != 0 {
				t.Errorf("%d requests failed during the outage", n)
			}

			fault.heal(t, proxy)
			deadline := time.Now().Add(10 * time.Second)
			for scrape(t, f.app).value(t, `inkwell_circuit_breaker_state{breaker="cache"}`) != 0 {
				if time.Now().After(deadline) {
					t.Fatal("the cache breaker did not close within 10 s of Redis answering again")
				}
				time.Sleep(100 * time.Millisecond)
				mustStatus(t, public.Do("GET", "/api/v1/articles", nil), 200, "read while Redis recovers")
			}
			// The invalidations the breaker skipped are not replayed here (that is the invalidation
			// worker's job): only that caching works again is asserted, on an article never cached.
			b := publishArticle(t, f.admin, "Fresh", nil)
			before := cacheEntries(t, client, prefix)
			mustStatus(t, public.Do("GET", "/api/v1/articles/"+b.Slug, nil), 200, "read after recovery")
			if after := cacheEntries(t, client, prefix); after <= before {
				t.Errorf("a read after recovery cached nothing (%d entries before, %d after)", before, after)
			}
			if logs.FilterMessageSnippet("cache recovered").Len() == 0 {
				t.Errorf("the recovery was not logged")
			}
		})
	}
}

// metricsText is a /metrics scrape.
type metricsText string

func scrape(t *testing.T, app *testApp) metricsText {
	t.Helper()
	return metricsText(app.scrapeMetrics(t))
}

// value is the sample of series (name with its labels exactly as exposed), failing when absent.
func (m metricsText) value(t *testing.T, series string) float64 {
	t.Helper()
	match := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(string(m))
	if match == nil {
		t.Fatalf("no %s in the metrics", series)
	}
	v, _ := strconv.ParseFloat(match[1], 64)
	return v
}

// sum adds the samples of the series matching pattern (a regular expression; 0 when none).
func (m metricsText) sum(pattern string) float64 {
	var total float64
	for _, match := range regexp.MustCompile(`(?m)^`+pattern+` (\S+)$`).FindAllStringSubmatch(string(m), -1) {
		v, _ := strconv.ParseFloat(match[1], 64)
		total += v
	}
	return total
}

// matching lists the lines matching pattern, for failure messages.
func (m metricsText) matching(pattern string) string {
	return strings.Join(regexp.MustCompile(`(?m)^(`+pattern+`).*$`).FindAllString(string(m), -1), "\n")
}

// cacheEntries counts the cache entries under prefix (not the generation counters or rate-limit
// buckets).
func cacheEntries(t *testing.T, client *redis.Client, prefix string) int {
	t.Helper()
	keys, err := client.Keys(context.Background(), prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix+"gen:") && !strings.HasPrefix(k, prefix+"ratelimit:") {
			n++
		}
	}
	return n
}

// TestANodeStartsAndServesWhileRedisIsDown: a node (re)started during a Redis outage does not
// refuse to start; it serves from the database and starts caching once Redis answers.
func TestANodeStartsAndServesWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	client, prefix := testredis.Client(t)
	proxy, url := testredis.NewProxy(t)
	proxy.Refuse()
	core, logs := observer.New(zapcore.WarnLevel)
	f := bootstrapFixture(t, newTestAppLogging(t, config.DialectSQLite, zap.New(core), func(c *config.Config) {
		c.Redis.URL, c.Cache.Prefix = url, prefix
		c.Redis.Timeout, c.Redis.BreakerCooldown = redisTimeout, 300*time.Millisecond
	}))
	if logs.FilterMessageSnippet("Redis does not answer at start-up").Len() != 1 {
		t.Errorf("the unreachable Redis was not reported at start-up: %v", logs.All())
	}
	a := publishArticle(t, f.admin, "Started without Redis", nil)
	mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read without Redis")

	proxy.Accept(t)
	deadline := time.Now().Add(10 * time.Second)
	for cacheEntries(t, client, prefix) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("nothing cached within 10 s of Redis answering")
		}
		time.Sleep(100 * time.Millisecond)
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "read once Redis answers")
	}
}
