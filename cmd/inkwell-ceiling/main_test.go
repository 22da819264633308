package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func capture(t *testing.T, dir, name, body, headers string) string {
	t.Helper()
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file+".headers", []byte(headers), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestServesTheCapturedAnswers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	article, err := load(capture(t, dir, "article.body", `{"slug":"a"}`,
		`{"Content-Type":"application/json; charset=utf-8","ETag":"\"abc\"","Cache-Control":"public, max-age=60","X-Other":"dropped"}`))
	if err != nil {
		t.Fatal(err)
	}
	list, err := load(capture(t, dir, "list.body", `{"data":[],"meta":{}}`, `{"ETag":"\"l\""}`))
	if err != nil {
		t.Fatal(err)
	}
	engine := newEngine(article, list)
	tests := []struct {
		path, body, etag, cacheControl string
	}{
		{"/api/v1/articles/any-slug", `{"slug":"a"}`, `"abc"`, "public, max-age=60"},
		{"/api/v1/articles?limit=20&cursor=x", `{"data":[],"meta":{}}`, `"l"`, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		engine.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		h := rec.Header()
		if rec.Code != http.StatusOK || rec.Body.String() != tt.body || h.Get("ETag") != tt.etag ||
			h.Get("Cache-Control") != tt.cacheControl || h.Get("X-Other") != "" {
			t.Errorf("GET %s = %d %v %q", tt.path, rec.Code, h, rec.Body.String())
		}
		if h.Get("Content-Length") != strconv.Itoa(len(tt.body)) {
			t.Errorf("GET %s: Content-Length %s", tt.path, h.Get("Content-Length"))
		}
	}
}

func TestLoadNeedsTheHeadersFile(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(file, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := load(file); err == nil {
		t.Error("load without FILE.headers: nil error")
	}
}
