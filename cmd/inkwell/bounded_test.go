package main

import (
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestPathologicalBodiesAre422NamingTheLimit: through the real router, each pathological body
// shape is refused on create and on patch with 422 body_limit_exceeded, field body_markdown and the
// limit's setting name; nothing was stored.
func TestPathologicalBodiesAre422NamingTheLimit(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		ed := f.actor(t, "Edna Editor", "editor", false).client
		a := createArticle(t, ed, "Kept", nil)
		for body, limit := range map[string]string{
			strings.Repeat("[a](", 20_000):    "max_unclosed_links",
			strings.Repeat(">", 40) + " deep": "max_nesting",
			strings.Repeat("|a", 500) + "\n" + strings.Repeat("|-", 500) + "\n" + strings.Repeat("|a\n", 500): "max_table_cells",
		} {
			for what, r := range map[string]func() []byte{
				"create": func() []byte {
					return mustStatus(t, ed.Do("POST", articlesPath, map[string]any{"title": "Attack", "body_markdown": body}), 422, "create "+limit).Body
				},
				"patch": func() []byte {
					return mustStatus(t, ed.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"body_markdown": body}, "If-Match", a.ETag), 422, "patch "+limit).Body
				},
			} {
				got := string(r())
				for _, want := range []string{`"code":"body_limit_exceeded"`, `"field":"body_markdown"`, `"limit":"` + limit + `"`} {
					if !strings.Contains(got, want) {
						t.Errorf("%s with %s: %s lacks %s", what, limit, got, want)
					}
				}
			}
		}
		list := mustStatus(t, ed.Do("GET", articlesPath, nil), 200, "list").Map(t)
		if n := len(list["data"].([]any)); n != 1 {
			t.Fatalf("refused bodies stored articles: %d in the list", n)
		}
	})
}

// TestDeepPagesAre400PointingToTheCursor: page × limit beyond 10,000 rows is 400 invalid_parameter
// naming page, on the public and the management list.
func TestDeepPagesAre400PointingToTheCursor(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		ed := f.actor(t, "Edna Editor", "editor", false).client
		for _, path := range []string{"/api/v1/articles?page=501", "/api/v1/articles?page=101&limit=100", articlesPath + "?page=10000&limit=2"} {
			c := f.app.Client
			if strings.HasPrefix(path, articlesPath) {
				c = ed
			}
			got := string(mustStatus(t, c.Do("GET", path, nil), 400, path).Body)
			if !strings.Contains(got, `"code":"invalid_parameter"`) || !strings.Contains(got, `"field":"page"`) || !strings.Contains(got, "cursor") {
				t.Errorf("%s: %s", path, got)
			}
		}
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles?page=500", nil), 200, "the deepest page allowed")
	})
}
