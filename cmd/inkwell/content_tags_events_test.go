package main

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// TestTagListsPageByCursor walks the public and the admin tag lists two at a time, by name
// ignoring case, and checks that both refuse a bad limit or cursor as every list does.
func TestTagListsPageByCursor(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		for _, name := range []string{"rust", "Go", "web", "Zig", "c"} {
			createTag(t, f.admin, name)
		}
		want := []string{"c", "go", "rust", "web", "zig"}
		otherList := articleCursor(t, f)
		for name, c := range map[string]*apitest.Client{"/api/v1/tags": f.app.Client, "/api/v1/admin/tags": f.admin} {
			if got := pageThrough(t, c, listEndpoint{path: name, items: len(want), key: "slug"}); !slices.Equal(got, want) {
				t.Errorf("%s paged %v, want %v", name, got, want)
			}
			first := mustStatus(t, c.Do("GET", name+"?limit=2", nil), 200, name)
			_, meta := listIDs(t, first)
			cursor := meta["next_cursor"].(string)
			tampered := cursor[:len(cursor)-2] + map[bool]string{true: "AA", false: "AB"}[strings.HasSuffix(cursor, "AB")]
			for query, code := range map[string]string{
				"?cursor=" + tampered:  "invalid_cursor",
				"?cursor=garbage":      "invalid_cursor",
				"?cursor=" + otherList: "invalid_cursor",
				"?limit=500":           "invalid_parameter",
				"?limit=0":             "invalid_parameter",
				"?sort=name":           "unknown_parameter",
			} {
				r := mustStatus(t, c.Do("GET", name+query, nil), 400, name+query)
				if r.Code(t) != code {
					t.Errorf("%s%s: code %s, want %s", name, query, r.Code(t), code)
				}
			}
		}
	})
}

// articleCursor is a good cursor of another list: a tag list must refuse it.
func articleCursor(t *testing.T, f *identityFixture) string {
	t.Helper()
	publishArticle(t, f.admin, "One", nil)
	publishArticle(t, f.admin, "Two", nil)
	_, meta := listIDs(t, mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles?limit=1", nil), 200, "articles"))
	return meta["next_cursor"].(string)
}

// TestEventDataIsTheAPIShape: the data of an article event is the article as the admin list shows
// it, and the data of a tag event is the tag as GET /admin/tags/{id} answers it, byte for byte
// once decoded: webhooks and the API share one shape per resource.
func TestEventDataIsTheAPIShape(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		tagID, _, etag := createTag(t, f.admin, "Go")
		a := publishArticle(t, f.admin, "Shapes", map[string]any{"tags": []string{"go"}, "cover_image_url": "https://example.com/c.png"})
		var list struct {
			Data []map[string]any `json:"data"`
		}
		mustStatus(t, f.admin.Do("GET", articlesPath, nil), 200, "admin list").JSON(t, &list)
		if len(list.Data) != 1 {
			t.Fatalf("admin list: %v", list.Data)
		}
		if data := lastEventData(t, f.app, "article.published", a.ID); !reflect.DeepEqual(data, list.Data[0]) {
			t.Errorf("article.published data\n %v\nis not the admin list item\n %v", data, list.Data[0])
		}

		patch := map[string]any{"name": "Golang", "description": "Gophers"}
		mustStatus(t, f.admin.Do("PATCH", "/api/v1/admin/tags/"+tagID, patch, "If-Match", etag), 200, "rename tag")
		tag := mustStatus(t, f.admin.Do("GET", "/api/v1/admin/tags/"+tagID, nil), 200, "get tag").Map(t)
		if data := lastEventData(t, f.app, "tag.updated", tagID); !reflect.DeepEqual(data, tag) {
			t.Errorf("tag.updated data\n %v\nis not the API's tag\n %v", data, tag)
		}
	})
}

// lastEventData decodes the data of the newest outbox event of type about aggregateID.
func lastEventData(t *testing.T, app *testApp, eventType, aggregateID string) map[string]any {
	t.Helper()
	var payloads []string
	err := app.DB.Conn(context.Background()).Raw(`SELECT payload FROM outbox_messages WHERE type = ? AND aggregate_id = ?
		ORDER BY occurred_at DESC, id DESC`, eventType, aggregateID).Scan(&payloads).Error
	if err != nil || len(payloads) == 0 {
		t.Fatalf("no %s event of %s: %v", eventType, aggregateID, err)
	}
	var body struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal([]byte(payloads[0]), &body); err != nil {
		t.Fatal(err)
	}
	return body.Data
}
