package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestEditorialWalkThrough follows one article through its whole life on both databases: draft,
// patch, publish, public read, unpublish, archive, unarchive, trash, restore.
func TestEditorialWalkThrough(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		ed := f.actor(t, "Edna Editor", "editor", false).client
		createTag(t, ed, "Go")
		a := createArticle(t, ed, "Hello World", map[string]any{"tags": []string{"go"}, "excerpt": "Short"})
		if a.Status != "draft" || a.ETag != `"1"` || a.Slug != "hello-world" {
			t.Fatalf("created %+v", a)
		}
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/hello-world", nil), 404, "a draft is not public")

		r := mustStatus(t, ed.Do("PATCH", articlesPath+"/"+a.ID, `{"title":"Hello, World","excerpt":null,"body_markdown":"# Hi\n\nNew body."}`,
			"If-Match", a.ETag, "Content-Type", "application/merge-patch+json"), 200, "patch")
		a = asArticle(t, r)
		if a.ETag != `"2"` || a.Body["title"] != "Hello, World" || a.Slug != "hello-world" ||
			a.Body["excerpt"] != "Hi New body." || r.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("patched %v (ETag %s)", a.Body, a.ETag)
		}
		get := mustStatus(t, ed.Do("GET", articlesPath+"/"+a.ID, nil), 200, "admin get")
		if get.Header.Get("ETag") != `"2"` {
			t.Errorf("admin GET ETag %q", get.Header.Get("ETag"))
		}

		a = asArticle(t, mustStatus(t, act(ed, a, "publish", nil), 200, "publish"))
		pub := mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/hello-world", nil), 200, "public read").Map(t)
		if pub["title"] != "Hello, World" || !strings.Contains(pub["body_html"].(string), "<h1") || pub["published_at"] == nil {
			t.Errorf("public article %v", pub)
		}
		if _, leaked := pub["status"]; leaked {
			t.Error("the public article shows its status")
		}

		a = asArticle(t, mustStatus(t, act(ed, a, "unpublish", nil), 200, "unpublish"))
		mustStatus(t, f.app.Client.Do("GET", "/api/v1/articles/hello-world", nil), 404, "unpublished is gone publicly")
		a = asArticle(t, mustStatus(t, act(ed, a, "archive", nil), 200, "archive"))
		mustStatus(t, act(ed, a, "publish", nil), 409, "publish an archived article")
		a = asArticle(t, mustStatus(t, act(ed, a, "unarchive", nil), 200, "unarchive"))
		if a.Status != "draft" {
			t.Errorf("unarchived to %s", a.Status)
		}
		mustStatus(t, act(ed, a, "fly", nil), 404, "unknown action")

		mustStatus(t, ed.Do("DELETE", articlesPath+"/"+a.ID, nil, "If-Match", a.ETag), 204, "trash")
		ids, _ := listIDs(t, mustStatus(t, ed.Do("GET", articlesPath, nil), 200, "admin list"))
		if containsID(ids, a.ID) {
			t.Error("a trashed article is in the admin list")
		}
		ids, _ = listIDs(t, mustStatus(t, ed.Do("GET", articlesPath+"?status=trashed", nil), 200, "trash list"))
		if !containsID(ids, a.ID) {
			t.Error("the trash list misses the trashed article")
		}
		trashed := mustStatus(t, ed.Do("GET", articlesPath+"/"+a.ID, nil), 200, "get trashed").Map(t)
		mustStatus(t, ed.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "X"}, "If-Match", versionETag(trashed)), 409, "edit in trash")

		a = asArticle(t, mustStatus(t, ed.Do("POST", articlesPath+"/"+a.ID+"/restore", nil), 200, "restore"))
		if a.Body["trashed_at"] != nil || a.Status != "draft" {
			t.Errorf("restored %v", a.Body)
		}
		mustStatus(t, ed.Do("POST", articlesPath+"/"+a.ID+"/restore", nil), 409, "restore an untrashed article")
	})
}

// TestChangesNeedIfMatch: every change to an existing article or tag answers 428 without If-Match,
// 400 with one that is not a version, and 412 with the current version when stale.
func TestChangesNeedIfMatch(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		a := createArticle(t, f.admin, "Guarded", nil)
		tagID, _, _ := createTag(t, f.admin, "Guard")
		changes := []struct{ method, path string }{
			{"PATCH", articlesPath + "/" + a.ID}, {"DELETE", articlesPath + "/" + a.ID},
			{"POST", articlesPath + "/" + a.ID + "/publish"}, {"POST", articlesPath + "/" + a.ID + "/revisions/1/restore"},
			{"PATCH", "/api/v1/admin/tags/" + tagID}, {"DELETE", "/api/v1/admin/tags/" + tagID},
		}
		for _, c := range changes {
			var body any
			if c.method == "PATCH" {
				body = map[string]any{"description": "x"}
				if strings.Contains(c.path, "articles") {
					body = map[string]any{"excerpt": "x"}
				}
			}
			if r := f.admin.Do(c.method, c.path, body); r.Status != 428 || r.Code(t) != "precondition_required" {
				t.Errorf("%s %s without If-Match: %d %s", c.method, c.path, r.Status, r.Body)
			}
			if r := f.admin.Do(c.method, c.path, body, "If-Match", "*"); r.Status != 400 || r.Code(t) != "invalid_if_match" {
				t.Errorf("%s %s with If-Match *: %d %s", c.method, c.path, r.Status, r.Body)
			}
			r := f.admin.Do(c.method, c.path, body, "If-Match", `"7"`)
			if r.Status != 412 || r.Code(t) != "version_conflict" || r.Map(t)["current_version"] != float64(1) {
				t.Errorf("%s %s with a stale If-Match: %d %s", c.method, c.path, r.Status, r.Body)
			}
		}
		// The ETag a gzip-compressing proxy or the server's own compression hands out still works.
		mustStatus(t, f.admin.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"excerpt": "gz"}, "If-Match", `W/"1-gz"`), 200, "compressed ETag")
	})
}

// versionETag is the ETag of the version field of an admin answer.
func versionETag(body map[string]any) string {
	return fmt.Sprintf(`"%d"`, int64(body["version"].(float64)))
}
