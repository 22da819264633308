package article_test

import (
	"context"
	"errors"
	"html"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

var (
	t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
	t2 = t0.Add(2 * time.Hour)
)

// fakeRenderer wraps the escaped Markdown in a paragraph and uses it, minus "#" and "!", as the plain
// text; it counts its calls, and refuses bodies starting with "refuse" as over a limit.
type fakeRenderer struct{ calls atomic.Int32 }

func (r *fakeRenderer) Render(_ context.Context, markdown string) (string, string, error) {
	r.calls.Add(1)
	if strings.HasPrefix(markdown, "refuse") {
		return "", "", article.ErrBodyLimit("max_nesting", 32, "nests too deep")
	}
	return "<p>" + html.EscapeString(markdown) + "</p>", strings.NewReplacer("#", "", "!", "").Replace(markdown), nil
}

// body renders markdown with the fake renderer, as the application does before a transaction.
func body(markdown string) article.Body {
	b, err := article.RenderBody(context.Background(), &fakeRenderer{}, markdown)
	if err != nil {
		panic(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func validContent() article.Content {
	return article.Content{
		Title:  "Hello World",
		Body:   body("# Hello\n\nThis is the body."),
		TagIDs: []string{"tag-a", "tag-b"},
	}
}

func newArticle(t *testing.T) *article.Article {
	t.Helper()
	a, err := article.New("a1", "u1", validContent(), t0)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.PullEvents()
	return a
}

// inStatus rebuilds a valid article as storage would hand it over in the given status.
func inStatus(status article.Status, trashed bool) *article.Article {
	s := article.State{
		ID: "a1", AuthorID: "u1", Slug: "hello-world", Title: "Hello World",
		Excerpt: "Hello", ExcerptIsDerived: true, BodyMarkdown: "Hello", BodyHTML: "<p>Hello</p>",
		BodyText: "Hello", ReadingTimeMinutes: 1, Status: status, Version: 3, CreatedAt: t0, UpdatedAt: t0,
	}
	switch status {
	case article.StatusScheduled:
		s.ScheduledAt = ptr(t1)
	case article.StatusPublished, article.StatusArchived:
		s.PublishedAt = ptr(t0)
	}
	if trashed {
		s.TrashedAt = ptr(t0)
	}
	return article.Rehydrate(s)
}

// fieldsOf returns the fields named by a validation error, or nil for any other error.
func fieldsOf(err error) []string {
	var e *shared.Error
	if !errors.As(err, &e) || e.Kind != shared.KindInvalid {
		return nil
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	return fields
}

func eventTypes(a *article.Article) string {
	var types []string
	for _, e := range a.PullEvents() {
		types = append(types, e.Type)
	}
	return strings.Join(types, ",")
}
