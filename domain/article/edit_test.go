package article_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestEdit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		changes     article.Changes
		wantChanged bool
		wantFields  []string
		check       func(t *testing.T, a *article.Article)
	}{
		{
			name: "retitling keeps the slug", changes: article.Changes{Title: ptr("Goodbye World")}, wantChanged: true,
			check: func(t *testing.T, a *article.Article) { expect(t, "slug", a.Slug(), "hello-world") },
		},
		{
			name: "an empty slug is derived from the new title", changes: article.Changes{Title: ptr("Goodbye World"), Slug: ptr("")}, wantChanged: true,
			check: func(t *testing.T, a *article.Article) { expect(t, "slug", a.Slug(), "goodbye-world") },
		},
		{
			name: "a new body is rendered and the derived excerpt follows it", changes: article.Changes{Body: ptr(body("New body"))}, wantChanged: true,
			check: func(t *testing.T, a *article.Article) {
				expect(t, "html", a.BodyHTML(), "<p>New body</p>")
				expect(t, "excerpt", a.Excerpt(), "New body")
			},
		},
		{
			name: "a written excerpt stays when the body changes", changes: article.Changes{Excerpt: ptr("Mine"), Body: ptr(body("New body"))}, wantChanged: true,
			check: func(t *testing.T, a *article.Article) {
				expect(t, "excerpt", a.Excerpt(), "Mine")
				expect(t, "derived", a.ExcerptIsDerived(), false)
			},
		},
		{
			name: "tags are replaced and can be cleared", changes: article.Changes{TagIDs: ptr([]string{})}, wantChanged: true,
			check: func(t *testing.T, a *article.Article) { expect(t, "tags", len(a.TagIDs()), 0) },
		},
		{
			name: "tag order is kept", changes: article.Changes{TagIDs: ptr([]string{"tag-b", "tag-a"})}, wantChanged: true,
			check: func(t *testing.T, a *article.Article) { expect(t, "first tag", a.TagIDs()[0], "tag-b") },
		},
		{
			name: "cover, meta title and meta description", wantChanged: true,
			changes: article.Changes{CoverImageURL: ptr("https://cdn.example.com/c.jpg"), MetaTitle: ptr("SEO"), MetaDescription: ptr("About")},
			check: func(t *testing.T, a *article.Article) {
				expect(t, "cover", a.CoverImageURL(), "https://cdn.example.com/c.jpg")
				expect(t, "meta", a.MetaTitle()+"/"+a.MetaDescription(), "SEO/About")
			},
		},
		{name: "no fields change nothing", changes: article.Changes{}},
		{
			name: "the same values change nothing",
			changes: article.Changes{
				Title: ptr(" Hello World "), Slug: ptr("hello-world"), Excerpt: ptr(""), Body: ptr(body("# Hello\n\nThis is the body.")),
				CoverImageURL: ptr(""), MetaTitle: ptr(""), MetaDescription: ptr(""), TagIDs: ptr([]string{"tag-a", "tag-b"}),
			},
		},
		{
			name: "an invalid field rejects the whole edit", changes: article.Changes{Title: ptr("Fine"), CoverImageURL: ptr("data:image/png;base64,AAAA")},
			wantFields: []string{"cover_image_url"},
			check:      func(t *testing.T, a *article.Article) { expect(t, "title", a.Title(), "Hello World") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newArticle(t)
			changed, err := a.Edit(tt.changes, t1)
			if got := fieldsOf(err); !slices.Equal(got, tt.wantFields) {
				t.Fatalf("error fields = %v (%v), want %v", got, err, tt.wantFields)
			}
			if changed != tt.wantChanged {
				t.Fatalf("changed = %v, want %v", changed, tt.wantChanged)
			}
			wantVersion, wantUpdated, wantEvents := shared.Version(1), t0, ""
			if tt.wantChanged {
				wantVersion, wantUpdated, wantEvents = 2, t1, article.EventUpdated+","+article.EventChangesSaved
			}
			expect(t, "version", a.Version(), wantVersion)
			expect(t, "updated_at", a.UpdatedAt(), wantUpdated)
			expect(t, "events", eventTypes(a), wantEvents)
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

func TestEditWithTheSameBodyKeepsItsRendering(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	html := a.BodyHTML()
	if changed, err := a.Edit(article.Changes{Body: ptr(body(a.BodyMarkdown()))}, t1); err != nil || changed {
		t.Fatalf("same body: changed %v, err %v", changed, err)
	}
	expect(t, "html", a.BodyHTML(), html)
}

func TestRenderBody(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := &fakeRenderer{}
	if _, err := article.RenderBody(ctx, r, strings.Repeat("a", article.MaxBodyBytes+1)); !slices.Equal(fieldsOf(err), []string{"body_markdown"}) {
		t.Fatalf("body over the ceiling: %v", err)
	}
	if b, err := article.RenderBody(ctx, r, ""); err != nil || b != (article.Body{}) {
		t.Fatalf("empty body: %#v, %v", b, err)
	}
	expect(t, "renders of refused and empty bodies", r.calls.Load(), int32(0))
	_, err := article.RenderBody(ctx, r, "refuse this")
	var e *shared.Error
	if !errors.As(err, &e) || e.Code != article.BodyLimitExceeded || e.Kind != shared.KindInvalid ||
		e.Details["limit"] != "max_nesting" || len(e.Fields) != 1 || e.Fields[0].Field != "body_markdown" {
		t.Fatalf("a body over a renderer limit: %#v", err)
	}
}

func TestEditIsAllowedInEveryStatusButTheTrash(t *testing.T) {
	t.Parallel()
	for _, status := range article.Statuses {
		for _, trashed := range []bool{false, true} {
			t.Run(string(status)+map[bool]string{true: " trashed"}[trashed], func(t *testing.T) {
				t.Parallel()
				a := inStatus(status, trashed)
				changed, err := a.Edit(article.Changes{Title: ptr("Edited")}, t1)
				if trashed {
					if !errors.Is(err, article.ErrTrashed) || changed || a.Title() != "Hello World" {
						t.Fatalf("edit in the trash: changed %v, err %v, title %q", changed, err, a.Title())
					}
					return
				}
				if err != nil || !changed || a.Status() != status || a.Version() != 4 {
					t.Fatalf("edit: changed %v, err %v, status %s, version %d", changed, err, a.Status(), a.Version())
				}
			})
		}
	}
}

func expect[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func TestEditKeepsADerivedExcerptWhenTheBodyStays(t *testing.T) {
	t.Parallel()
	a := inStatus(article.StatusDraft, false) // stored excerpt "Hello", derived
	mustEdit(t, a, article.Changes{Title: ptr("Other title")})
	expect(t, "excerpt", a.Excerpt(), "Hello")
	mustEdit(t, a, article.Changes{Body: ptr(body("Fresh words"))})
	expect(t, "excerpt", a.Excerpt(), "Fresh words")
}
