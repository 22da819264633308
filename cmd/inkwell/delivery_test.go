package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestPublicAPIShowsOnlyPublishedContent: drafts, scheduled, archived and trashed articles are
// absent from the public list, 404 by slug and uncounted on tags.
func TestPublicAPIShowsOnlyPublishedContent(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		createTag(t, f.admin, "News")
		tagged := map[string]any{"tags": []string{"news"}}
		live := publishArticle(t, f.admin, "Live", tagged)
		draft := createArticle(t, f.admin, "Draft", tagged)
		scheduled := createArticle(t, f.admin, "Scheduled", tagged)
		mustStatus(t, act(f.admin, scheduled, "schedule", map[string]any{"publish_at": "2099-01-01T00:00:00Z"}), 200, "schedule")
		archived := publishArticle(t, f.admin, "Archived", tagged)
		mustStatus(t, act(f.admin, archived, "archive", nil), 200, "archive")
		trashed := publishArticle(t, f.admin, "Trashed", tagged)
		mustStatus(t, f.admin.Do("DELETE", articlesPath+"/"+trashed.ID, nil, "If-Match", trashed.ETag), 204, "trash")

		public := f.app.Client
		for _, path := range []string{"/api/v1/articles", "/api/v1/articles?tag=news", "/api/v1/articles?q=Draft", "/api/v1/articles?page=1"} {
			ids, _ := listIDs(t, mustStatus(t, public.Do("GET", path, nil), 200, path))
			if len(ids) > 1 || (len(ids) == 1 && ids[0] != live.ID) {
				t.Errorf("%s lists %v, want at most the live article", path, ids)
			}
		}
		for _, a := range []adminArticle{draft, scheduled, archived, trashed} {
			mustStatus(t, public.Do("GET", "/api/v1/articles/"+a.Slug, nil), 404, "public "+a.Slug)
		}
		news := mustStatus(t, public.Do("GET", "/api/v1/tags/news", nil), 200, "tag").Map(t)
		if news["article_count"] != float64(1) {
			t.Errorf("tag counts %v articles, want only the live one", news["article_count"])
		}
		item := mustStatus(t, public.Do("GET", "/api/v1/articles", nil), 200, "list").Map(t)["data"].([]any)[0].(map[string]any)
		want := []string{"id", "slug", "title", "excerpt", "cover_image_url", "tags", "author", "published_at", "updated_at", "reading_time_minutes", "featured"}
		if len(item) != len(want) {
			t.Errorf("list item has %d fields, want %v: %v", len(item), want, item)
		}
		if author := item["author"].(map[string]any); author["slug"] == "" || author["id"] == "" {
			t.Errorf("author %v", author)
		}
	})
}

// TestPublicETagsAnswer304: every public GET has a strong ETag and Cache-Control; sending the ETag
// back gives 304 with no body until the content changes.
func TestPublicETagsAnswer304(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d, func(c *config.Config) {
			c.HTTP.PublicMaxAge, c.HTTP.PublicStaleWhile, c.HTTP.PublicStaleIfError = 30e9, 90e9, 3600e9
		})
		createTag(t, f.admin, "Cached")
		a := publishArticle(t, f.admin, "Cache me", map[string]any{"tags": []string{"cached"}})
		for _, path := range []string{"/api/v1/articles", "/api/v1/articles/" + a.Slug, "/api/v1/tags", "/api/v1/tags/cached"} {
			first := mustStatus(t, f.app.Client.Do("GET", path, nil), 200, path)
			etag := first.Header.Get("ETag")
			if !strings.HasPrefix(etag, `"`) || first.Header.Get("Cache-Control") != "public, max-age=30, stale-while-revalidate=90, stale-if-error=3600" {
				t.Errorf("%s: ETag %q, Cache-Control %q", path, etag, first.Header.Get("Cache-Control"))
			}
			again := mustStatus(t, f.app.Client.Do("GET", path, nil, "If-None-Match", etag), 304, path+" revalidated")
			if len(again.Body) != 0 || again.Header.Get("ETag") != etag {
				t.Errorf("%s: 304 with body %q, ETag %q", path, again.Body, again.Header.Get("ETag"))
			}
		}
		etag := f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil).Header.Get("ETag")
		patchLive(t, f.admin, a, map[string]any{"excerpt": "changed"})
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil, "If-None-Match", etag), 200, "changed article")
	})
}

// TestCursorPagingVisitsEveryArticleOnce pages through 25 published articles ten at a time.
func TestCursorPagingVisitsEveryArticleOnce(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		want := map[string]bool{}
		for i := range 25 {
			want[publishArticle(t, f.admin, fmt.Sprintf("Article %02d", i), nil).ID] = true
		}
		for _, sort := range []string{"-published_at", "title"} {
			seen, pages, cursor := map[string]int{}, 0, ""
			for {
				path := "/api/v1/articles?limit=10&sort=" + sort
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				ids, meta := listIDs(t, mustStatus(t, f.app.Client.Do("GET", path, nil), 200, path))
				pages++
				for _, id := range ids {
					seen[id]++
				}
				if meta["has_more"] != true {
					if meta["next_cursor"] != nil {
						t.Errorf("last page has a cursor %v", meta["next_cursor"])
					}
					break
				}
				cursor = meta["next_cursor"].(string)
			}
			if pages != 3 || len(seen) != 25 {
				t.Errorf("sort %s: %d pages, %d distinct articles", sort, pages, len(seen))
			}
			for id, n := range seen {
				if n != 1 || !want[id] {
					t.Errorf("sort %s: article %s seen %d times (ours: %v)", sort, id, n, want[id])
				}
			}
		}
		_, meta := listIDs(t, mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles?limit=10&page=3", nil), 200, "page 3"))
		if meta["page"] != float64(3) || meta["total"] != float64(25) || meta["pages"] != float64(3) || meta["has_more"] != false {
			t.Errorf("page mode meta %v", meta)
		}
	})
}

// TestBadListParametersAre400 names the offending parameter in every refusal.
func TestBadListParametersAre400(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		for i := range 2 {
			publishArticle(t, f.admin, fmt.Sprintf("Paged %d", i), nil)
		}
		_, meta := listIDs(t, f.app.Client.Do("GET", "/api/v1/articles?limit=1", nil))
		cursor := meta["next_cursor"].(string)
		// Change a character in the middle: the last one may only carry padding bits.
		mid, swap := len(cursor)/2, "A"
		if cursor[mid] == 'A' {
			swap = "B"
		}
		tampered := cursor[:mid] + swap + cursor[mid+1:]
		cases := map[string]string{
			"limit=0": "limit", "limit=1000": "limit", "sort=bogus": "sort", "cursor=" + url.QueryEscape(tampered): "cursor",
			"fields=nope": "fields", "page=0": "page", "colour=red": "colour",
		}
		for query, param := range cases {
			r := mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles?"+query, nil), 400, query)
			errs, _ := r.Map(t)["errors"].([]any)
			if len(errs) != 1 || errs[0].(map[string]any)["field"] != param {
				t.Errorf("%s: errors %v, want the field %s", query, errs, param)
			}
		}
		mustStatus(t, f.admin.Do("GET", articlesPath+"?status=bogus", nil), 400, "admin bogus status")
		var sparse struct {
			Data []map[string]any `json:"data"`
		}
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles?fields=title", nil), 200, "fields").JSON(t, &sparse)
		if len(sparse.Data) == 0 || len(sparse.Data[0]) != 2 || sparse.Data[0]["id"] == nil || sparse.Data[0]["title"] == nil {
			t.Errorf("fields=title answered %v", sparse.Data)
		}
	})
}
