//go:build reliability

package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The pathological bodies of the security review (issue 13): each is refused by a bound, fast, and
// without holding the database.
var pathologicalBodies = map[string]string{
	"unclosed links":    strings.Repeat("[a](", 64_000), // 256 KB; unbounded goldmark: ~10 s
	"unclosed images":   strings.Repeat("![a](", 40_000),
	"nested quotes":     strings.Repeat(">", 100_000) + " deep",
	"nested lists":      strings.Repeat("- ", 50_000) + "deep",
	"open parentheses":  "[a](" + strings.Repeat("(", 200_000),
	"padded wide table": strings.Repeat("|a", 2000) + "\n" + strings.Repeat("|-", 2000) + "\n" + strings.Repeat("|a\n", 50_000),
}

// TestPathologicalBodiesBesideConcurrentWriters: while contributors send the pathological bodies
// over and over, other editors keep creating and changing articles. Every pathological body is 422
// body_limit_exceeded, every ordinary write succeeds, no answer is a 5xx, the log never says
// "database is locked", and /admin/me answers throughout (no pool held by open transactions).
func TestPathologicalBodiesBesideConcurrentWriters(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db)
		admin := s.client(s.token)
		ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
		defer cancel()
		var (
			mu                sync.Mutex
			refusals, writes  []time.Duration
			me                []time.Duration
			failures          []string
			unexpectedRefusal atomic.Int32
		)
		record := func(list *[]time.Duration, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			*list = append(*list, d)
		}
		fail := func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			failures = append(failures, fmt.Sprintf(format, args...))
		}
		var wg sync.WaitGroup
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range pathologicalBodies {
				if !yield(n) {
					return
				}
			}
		})
		for i := range 8 { // attackers
			wg.Go(func() {
				for n := i; ctx.Err() == nil; n++ {
					name := names[n%len(names)]
					start := time.Now()
					r, err := admin.do(ctx, "POST", "/api/v1/admin/articles", map[string]any{"title": "Attack " + name, "body_markdown": pathologicalBodies[name]})
					if err != nil {
						return // the run ended
					}
					record(&refusals, time.Since(start))
					if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "body_limit_exceeded") {
						unexpectedRefusal.Add(1)
						fail("%s: %d %.200s", name, r.status, r.body)
					}
				}
			})
		}
		for i := range 4 { // editors
			wg.Go(func() {
				for n := 0; ctx.Err() == nil; n++ {
					start := time.Now()
					r, err := admin.do(ctx, "POST", "/api/v1/admin/articles", map[string]any{"title": fmt.Sprintf("Editor %d-%d", i, n), "body_markdown": "An *ordinary* [body](https://example.com)."})
					if err != nil {
						return
					}
					record(&writes, time.Since(start))
					if r.status != http.StatusCreated {
						fail("ordinary create: %d %.200s", r.status, r.body)
					}
				}
			})
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				start := time.Now()
				r, err := admin.do(ctx, "GET", "/api/v1/admin/me", nil)
				if err != nil {
					return
				}
				record(&me, time.Since(start))
				if r.status != http.StatusOK {
					fail("/admin/me: %d", r.status)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("%d unexpected answers, first: %s", len(failures), failures[0])
		}
		if logs := s.logs(); strings.Contains(logs, "database is locked") {
			t.Fatal("the server logged \"database is locked\"")
		}
		if len(writes) < 8 || len(refusals) < 8 {
			t.Fatalf("too little happened: %d ordinary writes, %d refusals", len(writes), len(refusals))
		}
		report("pathological bodies (%s): %d refused (422) p50 %s max %s; beside them %d ordinary creates p50 %s max %s; /admin/me p50 %s max %s",
			db.dialect, len(refusals), p50(refusals), slices.Max(refusals), len(writes), p50(writes), slices.Max(writes), p50(me), slices.Max(me))
	})
}

// TestDeepPageFloodBesideAnArticleRead: 32 anonymous connections from one client address page
// through the list with random depths and limits (within the 10,000-row bound, and some beyond it,
// refused), while a reader at another address reads articles, each read a cache miss (a different
// article every time). With the shipped defaults (public rate limit on, per client address behind
// the trusted proxy) the read stays within a few times its idle latency. The same flood with the
// rate limit off shows what bounded work alone gives; that figure is printed, not asserted: on a
// shared two-core machine 32 busy connections take the CPU whatever each request costs.
//
// The bound is a coarse ratio for a shared two-core machine: the target is 3x, measured 1–3x on
// both databases. Before the covering list indexes and the list gate (migration 00013,
// INKWELL_DATABASE_LIST_CONCURRENCY) the same read took 110–350x its idle latency on SQLite and
// 6–9x on PostgreSQL; 5x catches a return of either cause.
func TestDeepPageFloodBesideAnArticleRead(t *testing.T) {
	t.Parallel()
	const bound = 5.0
	forEachDatabase(t, func(t *testing.T, db database) {
		const articles = 20000 // every page within the depth bound holds articles
		seed := exec.Command(inkwellBinary(t), "seed", "--articles", fmt.Sprint(articles))
		seed.Env = append(os.Environ(), "INKWELL_DATABASE_URL="+db.url, "INKWELL_LOG_LEVEL=warn")
		if out, err := seed.CombinedOutput(); err != nil {
			t.Fatalf("seed: %v\n%s", err, out)
		}
		for _, limited := range []bool{true, false} {
			rps := "50" // the default, spelled out: the harness turns the limit off
			if !limited {
				rps = "0"
			}
			s := start(t, db, "INKWELL_RATE_LIMIT_PUBLIC_RPS="+rps, "INKWELL_HTTP_TRUSTED_PROXIES=127.0.0.1")
			reader := s.client("")
			var slugs []string
			for page := 1; page <= 2; page++ {
				list := reader.must(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/articles?limit=100&fields=slug&page=%d", page), nil, "X-Forwarded-For", "198.51.100.1").json(t)
				for _, item := range list["data"].([]any) {
					slugs = append(slugs, item.(map[string]any)["slug"].(string))
				}
			}
			read := func(from []string) []time.Duration {
				var ds []time.Duration
				for _, slug := range from {
					start := time.Now()
					reader.must(t, http.StatusOK, "GET", "/api/v1/articles/"+slug, nil, "X-Forwarded-For", "198.51.100.1")
					ds = append(ds, time.Since(start))
					time.Sleep(20 * time.Millisecond)
				}
				return ds
			}
			idle := read(slugs[:40])
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			var pages, tooDeep, limitedN, bad atomic.Int64
			for i := range 32 {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(i), 7))
					for ctx.Err() == nil {
						limit := 1 + rng.IntN(100)
						page := 1 + rng.IntN(10000/limit)
						if rng.IntN(8) == 0 {
							page = 10000/limit + 1 + rng.IntN(100) // beyond the bound: refused
						}
						r, err := reader.do(ctx, "GET", fmt.Sprintf("/api/v1/articles?limit=%d&page=%d", limit, page), nil, "X-Forwarded-For", "203.0.113.7")
						switch {
						case err != nil:
							return
						case r.status == http.StatusOK:
							pages.Add(1)
						case r.status == http.StatusBadRequest && page*limit > 10000:
							tooDeep.Add(1)
						case r.status == http.StatusTooManyRequests && limited:
							limitedN.Add(1)
						default:
							bad.Add(1)
						}
					}
				})
			}
			time.Sleep(500 * time.Millisecond) // let the flood build up
			busy := read(slugs[40:80])
			cancel()
			wg.Wait()
			s.kill()
			if bad.Load() > 0 {
				t.Fatalf("%d unexpected answers to the flood", bad.Load())
			}
			ratio := float64(p50(busy)) / float64(max(p50(idle), time.Millisecond))
			report("deep-page flood (%s, %d articles, rate limit %s/s): %d pages, %d too deep (400), %d rate-limited (429); uncached article read p50 idle %s, beside the flood %s (%.1fx)",
				db.dialect, articles, rps, pages.Load(), tooDeep.Load(), limitedN.Load(), p50(idle), p50(busy), ratio)
			if limited && ratio > bound {
				t.Fatalf("an article read beside the flood took %.1fx its idle time (p50 %s vs %s)", ratio, p50(busy), p50(idle))
			}
		}
	})
}

func p50(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
