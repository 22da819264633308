package bind_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// articleCreate mirrors the article create DTO (POST /admin/articles).
type articleCreate struct {
	Title           string   `json:"title"`
	Slug            string   `json:"slug"`
	Excerpt         string   `json:"excerpt"`
	BodyMarkdown    string   `json:"body_markdown"`
	CoverImageURL   string   `json:"cover_image_url"`
	MetaTitle       string   `json:"meta_title"`
	MetaDescription string   `json:"meta_description"`
	Tags            []string `json:"tags"`
}

// typicalCreateBody is a ~3 KB article create body: a long markdown body and a handful of tags.
func typicalCreateBody(tb testing.TB) []byte {
	tb.Helper()
	para := "Inkwell stores **markdown** and renders it once, on write. See [the docs](https://example.com/docs).\n\n"
	body, err := json.Marshal(articleCreate{
		Title:           "Strict JSON decoding in a headless CMS",
		Slug:            "strict-json-decoding",
		Excerpt:         "Why a request the API does not understand is refused instead of half-read.",
		BodyMarkdown:    "# Strict input\n\n" + strings.Repeat(para, 26),
		CoverImageURL:   "https://cdn.example.com/covers/strict-json.png",
		MetaTitle:       "Strict JSON decoding",
		MetaDescription: "Duplicate keys, deep nesting and invalid UTF-8 are all a 400.",
		Tags:            []string{"go", "json", "security", "api", "inkwell"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

func BenchmarkJSON(b *testing.B) {
	raw := typicalCreateBody(b)
	if n := len(raw); n < 2800 || n > 3300 {
		b.Fatalf("body is %d bytes, want about 3 KB", n)
	}
	reader := bytes.NewReader(raw)
	c := &gin.Context{Request: &http.Request{Method: http.MethodPost, Body: io.NopCloser(reader), ContentLength: int64(len(raw))}}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		reader.Reset(raw)
		var dst articleCreate
		if err := bind.JSON(c, &dst); err != nil {
			b.Fatal(err)
		}
	}
}
