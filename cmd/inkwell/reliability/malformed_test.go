//go:build reliability

package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// leak matches what must never reach a client: stack traces, SQL, driver and Go runtime errors.
var leak = regexp.MustCompile(`(?i)goroutine \d|panic:|runtime error|\.go:\d+|SELECT |INSERT INTO|UPDATE .* SET|pq:|SQLSTATE|sqlite|gorm|pgx|invalid memory address`)

var junkBodies = []string{
	"", "{", "}", "null", "[]", "true", `"text"`, "{}", `{"title": 5}`, `{"title": null}`,
	`{"title": "x", "unknown_field": 1}`, `{"title": "a", "title": "b"}`, `{"title": "x"} trailing`,
	"{\"title\": \"\xff\xfe\"}", `{"tags": "not-a-list"}`, `{"tags": [1, 2]}`, `{"publish_at": "yesterday"}`,
	`{"publish_at": "1999-01-01T00:00:00Z"}`, `{"events": ["nope"]}`, `{"url": "javascript:alert(1)"}`,
	`{"email": "not-an-email", "name": "", "role": "god"}`, `{"limit": 1e309}`, `{"version": -1}`,
	strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
	`{"title": "` + strings.Repeat("x", 300) + `"}`,
	`{"body_markdown": "<script>alert(1)</script><img src=x onerror=alert(1)>"}`,
	"\x00\x01\x02", `{"title": "\u0000"}`,
}

var junkQueries = []string{
	"", "?limit=0", "?limit=1000", "?limit=-1", "?limit=abc", "?page=0", "?page=99999999999999999999",
	"?sort=bogus", "?sort=-published_at;DROP%20TABLE%20articles", "?cursor=garbage", "?cursor=%FF%FE",
	"?fields=nope", "?fields=id,,title", "?tag=" + strings.Repeat("t", 300), "?q=%22unterminated",
	"?q=NEAR(a%20b)%20AND%20*", "?status=bogus", "?author=%00", "?unknown=1", "?limit=10&cursor=AAAA&page=2",
}

var junkIDs = []string{"x", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "%2e%2e%2f", "%00", strings.Repeat("9", 200), "1'%20OR%201=1"}

// (d) 2,000 random malformed requests across every endpoint: no 5xx, no leaked internals, and the
// server is still healthy afterwards.
func TestMalformedRequestsNeverCause5xx(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db)
		admin := s.client(s.token)
		articleID := createArticle(t, admin, "Target")
		doc, _ := apitest.Spec(t)
		var paths []string
		for p := range doc.Paths.Map() {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		rng := rand.New(rand.NewPCG(42, uint64(len(paths))))
		methods := []string{"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"}
		tokens := []string{s.token, s.token, s.token, "", "ink_forged", "Basic abc", strings.Repeat("a", 5000)}
		counts := map[int]int{}
		for i := range 2000 {
			path := paths[rng.IntN(len(paths))]
			path = regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllStringFunc(path, func(string) string {
				if rng.IntN(3) == 0 {
					return articleID
				}
				return junkIDs[rng.IntN(len(junkIDs))]
			})
			if rng.IntN(10) == 0 {
				path += "/" + junkIDs[rng.IntN(len(junkIDs))]
			}
			c := s.client(tokens[rng.IntN(len(tokens))])
			if c.token == "Basic abc" {
				c.token = ""
			}
			headers := []string{}
			switch rng.IntN(6) {
			case 0:
				headers = append(headers, "If-Match", []string{`"1"`, `"abc"`, `W/"-5"`, `*`, `"99999999999999999999999"`}[rng.IntN(5)])
			case 1:
				headers = append(headers, "Idempotency-Key", []string{"", strings.Repeat("k", 300), "ok-key", "clé-\u00e9"}[rng.IntN(4)])
			case 2:
				headers = append(headers, "Content-Type", []string{"text/plain", "application/xml", "application/json; charset=latin1"}[rng.IntN(3)])
			case 3:
				headers = append(headers, "If-None-Match", `"`+strings.Repeat("e", rng.IntN(100))+`"`)
			}
			var body any
			if m := methods[rng.IntN(len(methods))]; m != "GET" || rng.IntN(4) == 0 {
				body = junkBodies[rng.IntN(len(junkBodies))]
				r, err := c.do(context.Background(), m, path+junkQueries[rng.IntN(len(junkQueries))], body, headers...)
				check(t, i, m, path, r, err, counts)
				continue
			}
			r, err := c.do(context.Background(), "GET", path+junkQueries[rng.IntN(len(junkQueries))], nil, headers...)
			check(t, i, "GET", path, r, err, counts)
		}
		if r, err := s.client("").do(context.Background(), "GET", "/readyz", nil); err != nil || r.status != http.StatusOK {
			t.Fatalf("server unhealthy after the garbage: %v %d", err, r.status)
		}
		fiveXX := 0
		var summary []string
		for st, n := range counts {
			if st >= 500 {
				fiveXX += n
			}
			summary = append(summary, fmt.Sprintf("%d×%d", n, st))
		}
		sort.Strings(summary)
		report("(d) %s: 2000 malformed requests → %d × 5xx, server healthy after; statuses %s", db.dialect, fiveXX, strings.Join(summary, " "))
	})
}

func check(t *testing.T, i int, method, path string, r reply, err error, counts map[int]int) {
	t.Helper()
	if err != nil {
		t.Errorf("request %d %s %s: %v", i, method, path, err)
		return
	}
	counts[r.status]++
	if r.status >= 500 {
		t.Errorf("request %d %s %s → %d %s", i, method, path, r.status, r.body)
	}
	if r.status >= 400 && leak.Match(r.body) {
		t.Errorf("request %d %s %s leaks internals: %s", i, method, path, r.body)
	}
}
