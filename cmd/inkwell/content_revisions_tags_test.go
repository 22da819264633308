package main

import (
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestRevisions: every saved change keeps a revision; one can be read and restored as a new change.
func TestRevisions(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		a := createArticle(t, f.admin, "First title", map[string]any{"body_markdown": "first body"})
		a = asArticle(t, mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "Second title", "body_markdown": "second body"}, "If-Match", a.ETag), 200, "patch"))
		a = asArticle(t, mustStatus(t, act(f.admin, a, "publish", nil), 200, "publish"))

		var list struct {
			Data []map[string]any `json:"data"`
		}
		mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/revisions", nil), 200, "list").JSON(t, &list)
		if len(list.Data) != 3 || list.Data[0]["number"] != float64(3) || list.Data[2]["title"] != "First title" {
			t.Fatalf("revisions %v", list.Data)
		}
		if _, hasBody := list.Data[0]["body_markdown"]; hasBody {
			t.Error("the revision list carries bodies")
		}
		first := mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/revisions/1", nil), 200, "get 1").Map(t)
		if first["body_markdown"] != "first body" || first["status"] != "draft" {
			t.Errorf("revision 1 %v", first)
		}
		mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/revisions/9", nil), 404, "missing revision")
		mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID+"/revisions/one", nil), 404, "non-numeric revision")

		// On a published article the restored revision becomes its pending changes; publishing
		// them makes it live.
		restored := asArticle(t, mustStatus(t, f.admin.Do("POST", articlesPath+"/"+a.ID+"/revisions/1/restore", nil, "If-Match", a.ETag), 200, "restore 1"))
		if p := pending(t, restored); p == nil || p["title"] != "First title" || p["body_markdown"] != "first body" || restored.Status != "published" || restored.ETag != `"4"` {
			t.Errorf("restored %v %s", restored.Body, restored.ETag)
		}
		restored = asArticle(t, mustStatus(t, act(f.admin, restored, "publish-changes", nil), 200, "publish the restored revision"))
		pub := mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "public").Map(t)
		if pub["title"] != "First title" {
			t.Errorf("public title after restore %v", pub["title"])
		}
		mustStatus(t, f.admin.Do("POST", articlesPath+"/"+a.ID+"/revisions/1/restore", nil, "If-Match", a.ETag), 412, "stale restore")
	})
}

// TestTagsCRUD: create, conflicts, rename, public counts, and a delete that removes the tag from
// its articles.
func TestTagsCRUD(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		id, slug, etag := createTag(t, f.admin, "Gophers")
		if slug != "gophers" || etag != `"1"` {
			t.Fatalf("tag %s %s", slug, etag)
		}
		mustStatus(t, f.admin.Do("POST", "/api/v1/admin/tags", map[string]any{"name": "GOPHERS"}), 409, "name taken ignoring case")
		mustStatus(t, f.admin.Do("POST", "/api/v1/admin/tags", map[string]any{"name": ""}), 422, "empty name")
		mustStatus(t, f.admin.Do("POST", "/api/v1/admin/tags", map[string]any{"name": "X", "color": "red"}), 400, "unknown field")
		mustStatus(t, f.admin.Do("POST", articlesPath, map[string]any{"title": "T", "tags": []string{"nope"}}), 422, "unknown tag slug")

		a := publishArticle(t, f.admin, "Tagged", map[string]any{"tags": []string{"gophers"}})
		publicTag := mustStatus(t, f.app.Client.Do("GET", "/api/v1/tags/gophers", nil), 200, "public tag").Map(t)
		if publicTag["article_count"] != float64(1) {
			t.Errorf("public tag %v", publicTag)
		}
		r := mustStatus(t, f.admin.Do("PATCH", "/api/v1/admin/tags/"+id, map[string]any{"name": "Go Programmers", "description": "All things Go"}, "If-Match", etag), 200, "rename")
		renamed := r.Map(t)
		if renamed["slug"] != "gophers" || renamed["name"] != "Go Programmers" || r.Header.Get("ETag") != `"2"` {
			t.Errorf("renamed %v", renamed)
		}
		tags := mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil), 200, "article").Map(t)["tags"].([]any)
		if len(tags) != 1 || tags[0].(map[string]any)["name"] != "Go Programmers" {
			t.Errorf("article tags after rename %v", tags)
		}
		mustStatus(t, f.admin.Do("DELETE", "/api/v1/admin/tags/"+id, nil, "If-Match", etag), 412, "stale delete")
		mustStatus(t, f.admin.Do("DELETE", "/api/v1/admin/tags/"+id, nil, "If-Match", r.Header.Get("ETag")), 204, "delete")
		mustStatus(t, f.admin.Do("GET", "/api/v1/admin/tags/"+id, nil), 404, "deleted tag")
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/tags/gophers", nil), 404, "deleted public tag")
		admin := mustStatus(t, f.admin.Do("GET", articlesPath+"/"+a.ID, nil), 200, "article after delete").Map(t)
		if len(admin["tags"].([]any)) != 0 {
			t.Errorf("the deleted tag is still on the article: %v", admin["tags"])
		}
		var list struct {
			Data []map[string]any `json:"data"`
		}
		mustStatus(t, f.admin.Do("GET", "/api/v1/admin/tags", nil), 200, "admin tags").JSON(t, &list)
		if len(list.Data) != 0 {
			t.Errorf("tags left %v", list.Data)
		}
	})
}

// TestArticleInputErrors: malformed or unknown input is 400, broken rules 422, a taken slug 409.
func TestArticleInputErrors(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		a := createArticle(t, f.admin, "Taken", nil)
		patch := func(body any) int {
			return f.admin.Do("PATCH", articlesPath+"/"+a.ID, body, "If-Match", a.ETag).Status
		}
		cases := []struct {
			name      string
			got, want int
		}{
			{"malformed JSON", f.admin.Do("POST", articlesPath, `{"title":`).Status, 400},
			{"unknown field", f.admin.Do("POST", articlesPath, map[string]any{"title": "x", "colour": 1}).Status, 400},
			{"empty title", f.admin.Do("POST", articlesPath, map[string]any{"title": ""}).Status, 422},
			{"taken slug", f.admin.Do("POST", articlesPath, map[string]any{"title": "Other", "slug": "taken"}).Status, 409},
			{"patch null body", patch("null"), 400},
			{"patch an array", patch("[]"), 400},
			{"patch title null", patch(`{"title":null}`), 422},
			{"patch unknown field", patch(`{"status":"published"}`), 400},
			{"schedule in the past", act(f.admin, a, "schedule", map[string]any{"publish_at": "2001-01-01T00:00:00Z"}).Status, 422},
			{"schedule a bad time", act(f.admin, a, "schedule", map[string]any{"publish_at": "tomorrow"}).Status, 422},
			{"schedule without a time", act(f.admin, a, "schedule", map[string]any{}).Status, 422},
			{"publish with a stray body", act(f.admin, a, "publish", map[string]any{"now": true}).Status, 400},
		}
		for _, c := range cases {
			if c.got != c.want {
				t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
			}
		}
		cleared := asArticle(t, mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID, `{"excerpt":null,"meta_title":null,"tags":null}`, "If-Match", a.ETag), 200, "clear"))
		if cleared.Body["meta_title"] != "" || len(cleared.Body["tags"].([]any)) != 0 {
			t.Errorf("cleared %v", cleared.Body)
		}
	})
}
