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

// TestDeepPageFloodBesideAnArticleRead: 32 anonymous clients page through the list (pages within
// the depth bound, and some beyond it) with the cache off and the rate limit off, the hardest case
// for the server; an article read beside them stays within a few times its idle latency. The ratio
// is coarse on purpose: the machine is shared.
func TestDeepPageFloodBesideAnArticleRead(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		const articles = 5000
		seed := exec.Command(inkwellBinary(t), "seed", "--articles", fmt.Sprint(articles))
		seed.Env = append(os.Environ(), "INKWELL_DATABASE_URL="+db.url, "INKWELL_LOG_LEVEL=warn")
		if out, err := seed.CombinedOutput(); err != nil {
			t.Fatalf("seed: %v\n%s", err, out)
		}
		s := start(t, db, "INKWELL_CACHE_ENABLED=false")
		anon := s.client("")
		list := anon.must(t, http.StatusOK, "GET", "/api/v1/articles?limit=1", nil).json(t)
		slug := list["data"].([]any)[0].(map[string]any)["slug"].(string)
		read := func(n int) []time.Duration {
			var ds []time.Duration
			for range n {
				start := time.Now()
				anon.must(t, http.StatusOK, "GET", "/api/v1/articles/"+slug, nil)
				ds = append(ds, time.Since(start))
			}
			return ds
		}
		idle := read(30)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var pages, tooDeep, bad atomic.Int64
		for i := range 32 {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				for ctx.Err() == nil {
					page := 1 + rng.IntN(500) // limit 20: up to the 10,000-row bound
					if rng.IntN(8) == 0 {
						page = 501 + rng.IntN(9000) // beyond it: refused
					}
					r, err := anon.do(ctx, "GET", fmt.Sprintf("/api/v1/articles?page=%d", page), nil)
					switch {
					case err != nil:
						return
					case r.status == http.StatusOK:
						pages.Add(1)
					case r.status == http.StatusBadRequest && page > 500:
						tooDeep.Add(1)
					default:
						bad.Add(1)
					}
				}
			})
		}
		time.Sleep(500 * time.Millisecond) // let the flood build up
		busy := read(30)
		cancel()
		wg.Wait()
		if bad.Load() > 0 {
			t.Fatalf("%d unexpected answers to the flood", bad.Load())
		}
		ratio := float64(p50(busy)) / float64(max(p50(idle), time.Millisecond))
		report("deep-page flood (%s, %d articles, cache off): %d pages + %d refused as too deep; article read p50 idle %s, beside the flood %s (%.1fx)",
			db.dialect, articles, pages.Load(), tooDeep.Load(), p50(idle), p50(busy), ratio)
		if ratio > 20 {
			t.Fatalf("an article read beside the flood took %.1fx its idle time (p50 %s vs %s)", ratio, p50(busy), p50(idle))
		}
	})
}

func p50(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
