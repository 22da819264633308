package article_test

import (
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
// text; it counts its calls so tests can check when the body is rendered again.
type fakeRenderer struct{ calls atomic.Int32 }

func (r *fakeRenderer) Render(markdown string) (string, string) {
	r.calls.Add(1)
	return "<p>" + html.EscapeString(markdown) + "</p>", strings.NewReplacer("#", "", "!", "").Replace(markdown)
}

func ptr[T any](v T) *T { return &v }

func validContent() article.Content {
	return article.Content{
		Title:        "Hello World",
		BodyMarkdown: "# Hello\n\nThis is the body.",
		TagIDs:       []string{"tag-a", "tag-b"},
	}
}

func newArticle(t *testing.T) *article.Article {
	t.Helper()
	a, err := article.New("a1", "u1", validContent(), &fakeRenderer{}, t0)
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
