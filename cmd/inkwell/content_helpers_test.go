package main

import (
	"fmt"
	"testing"

	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

const articlesPath = "/api/v1/admin/articles"

// adminArticle is what the tests keep of an admin article answer.
type adminArticle struct {
	ID, Slug, Status, ETag string
	Body                   map[string]any
}

func asArticle(t *testing.T, r *apitest.Response) adminArticle {
	t.Helper()
	m := r.Map(t)
	return adminArticle{ID: m["id"].(string), Slug: m["slug"].(string), Status: m["status"].(string), ETag: r.Header.Get("ETag"), Body: m}
}

// mustStatus fails the test unless r answered want.
func mustStatus(t *testing.T, r *apitest.Response, want int, what string) *apitest.Response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
	}
	return r
}

// createArticle makes a draft through the API as c.
func createArticle(t *testing.T, c *apitest.Client, title string, extra map[string]any) adminArticle {
	t.Helper()
	body := map[string]any{"title": title, "body_markdown": "Some *words* about " + title + "."}
	for k, v := range extra {
		body[k] = v
	}
	return asArticle(t, mustStatus(t, c.Do("POST", articlesPath, body), 201, "create "+title))
}

// act runs a workflow action (body may be nil) and returns the answer.
func act(c *apitest.Client, a adminArticle, action string, body any) *apitest.Response {
	return c.Do("POST", articlesPath+"/"+a.ID+"/"+action, body, "If-Match", a.ETag)
}

// publishArticle creates and publishes an article as c and returns it published.
func publishArticle(t *testing.T, c *apitest.Client, title string, extra map[string]any) adminArticle {
	t.Helper()
	a := createArticle(t, c, title, extra)
	return asArticle(t, mustStatus(t, act(c, a, "publish", nil), 200, "publish "+title))
}

// createTag makes a tag as c and returns its id, slug and ETag.
func createTag(t *testing.T, c *apitest.Client, name string) (id, slug, etag string) {
	t.Helper()
	r := mustStatus(t, c.Do("POST", "/api/v1/admin/tags", map[string]any{"name": name}), 201, "create tag "+name)
	m := r.Map(t)
	return m["id"].(string), m["slug"].(string), r.Header.Get("ETag")
}

// listIDs returns the ids of a list answer's items and its meta.
func listIDs(t *testing.T, r *apitest.Response) ([]string, map[string]any) {
	t.Helper()
	var page struct {
		Data []map[string]any `json:"data"`
		Meta map[string]any   `json:"meta"`
	}
	r.JSON(t, &page)
	ids := make([]string, 0, len(page.Data))
	for _, item := range page.Data {
		ids = append(ids, fmt.Sprint(item["id"]))
	}
	return ids, page.Meta
}

func containsID(ids []string, id string) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
