package main

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// listEndpoint is one list of the API with at least three items in the fixture.
type listEndpoint struct {
	path  string
	items int
	key   string // the item field that identifies it
}

// TestEveryListFollowsTheOneListConvention pages through every list with limit=2 and sends each the
// same bad limit and bad cursor: every list must answer the same statuses, codes and fields.
func TestEveryListFollowsTheOneListConvention(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		lists := seedLists(t, f)
		for _, l := range lists {
			t.Run(l.path, func(t *testing.T) {
				seen := pageThrough(t, f.admin, l)
				if len(seen) != l.items {
					t.Fatalf("paged through %d items, want %d: %v", len(seen), l.items, seen)
				}
				for query, code := range map[string]string{
					"limit=500": "invalid_parameter", "limit=0": "invalid_parameter", "limit=ten": "invalid_parameter",
					"cursor=Z2FyYmFnZQ": "invalid_cursor", "cursor=%25%25": "invalid_cursor",
				} {
					r := f.admin.Do("GET", withQuery(l.path, query), nil)
					if r.Status != 400 || r.Code(t) != code || fieldsOf(t, r) != map[string]string{"invalid_parameter": "limit", "invalid_cursor": "cursor"}[code] {
						t.Errorf("?%s: %d %s, want 400 %s naming the parameter", query, r.Status, r.Body, code)
					}
				}
				// A cursor of another list does not continue this one.
				for _, other := range lists {
					if other.path == l.path {
						continue
					}
					if cursor := firstCursor(t, f.admin, other); cursor != "" {
						r := f.admin.Do("GET", withQuery(l.path, "cursor="+url.QueryEscape(cursor)), nil)
						if r.Status != 400 || r.Code(t) != "invalid_cursor" {
							t.Errorf("cursor of %s: %d %s", other.path, r.Status, r.Body)
						}
					}
				}
			})
		}
	})
}

// seedLists makes three items for every list and returns the lists.
func seedLists(t *testing.T, f *identityFixture) []listEndpoint {
	t.Helper()
	var article adminArticle
	for i := range 3 {
		createTag(t, f.admin, fmt.Sprintf("Tag %d", i))
		article = publishArticle(t, f.admin, fmt.Sprintf("Article %d", i), nil)
		f.createWebhook(t, publicHookURL, "tag.created")
	}
	f.createUser(t, "Ada One", "editor")
	f.createUser(t, "Bob Two", "author")
	for i := range 2 {
		mustStatus(t, f.admin.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": fmt.Sprintf("t%d", i)}), 201, "create token")
	}
	title := "Article 2, edited"
	mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+article.ID, map[string]any{"title": title}, "If-Match", article.ETag), 200, "edit")
	return []listEndpoint{
		{path: "/api/v1/articles", items: 3, key: "id"},
		{path: "/api/v1/admin/articles", items: 3, key: "id"},
		{path: articlesPath + "/" + article.ID + "/revisions", items: 3, key: "number"},
		{path: "/api/v1/admin/users", items: 3, key: "id"},
		{path: "/api/v1/admin/tokens", items: 3, key: "id"},
		{path: "/api/v1/admin/webhooks", items: 3, key: "id"},
		{path: "/api/v1/tags", items: 3, key: "id"},
		{path: "/api/v1/admin/tags", items: 3, key: "id"},
	}
}

// pageThrough follows next_cursor with limit=2 and returns the keys in the order they came; a key
// seen twice fails the test.
func pageThrough(t *testing.T, c *apitest.Client, l listEndpoint) []string {
	t.Helper()
	var seen []string
	cursor := ""
	for range 20 {
		query := "limit=2"
		if cursor != "" {
			query += "&cursor=" + url.QueryEscape(cursor)
		}
		var page struct {
			Data []map[string]any `json:"data"`
			Meta struct {
				Limit      int     `json:"limit"`
				NextCursor *string `json:"next_cursor"`
				HasMore    bool    `json:"has_more"`
			} `json:"meta"`
		}
		mustStatus(t, c.Do("GET", withQuery(l.path, query), nil), 200, "page of "+l.path).JSON(t, &page)
		for _, item := range page.Data {
			k := fmt.Sprint(item[l.key])
			if containsID(seen, k) {
				t.Fatalf("%s: %s came twice", l.path, k)
			}
			seen = append(seen, k)
		}
		if page.Meta.Limit != 2 || page.Meta.HasMore != (page.Meta.NextCursor != nil) || len(page.Data) > 2 {
			t.Fatalf("%s: meta %+v with %d items", l.path, page.Meta, len(page.Data))
		}
		if !page.Meta.HasMore {
			return seen
		}
		cursor = *page.Meta.NextCursor
	}
	t.Fatalf("%s: paging does not end", l.path)
	return nil
}

func firstCursor(t *testing.T, c *apitest.Client, l listEndpoint) string {
	t.Helper()
	var page struct {
		Meta struct {
			NextCursor *string `json:"next_cursor"`
		} `json:"meta"`
	}
	c.Do("GET", withQuery(l.path, "limit=1"), nil).JSON(t, &page)
	if page.Meta.NextCursor == nil {
		return ""
	}
	return *page.Meta.NextCursor
}

func withQuery(path, query string) string { return path + "?" + query }
