package article_test

import (
	"reflect"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/article"
)

// fullState sets every field, so a field State or Rehydrate forgets shows up as a difference.
func fullState() article.State {
	return article.State{
		ID: "a1", AuthorID: "u1", Slug: "hello-world", Title: "Hello World", Excerpt: "Hello",
		ExcerptIsDerived: true, BodyMarkdown: "Hello", BodyHTML: "<p>Hello</p>", BodyText: "Hello",
		ReadingTimeMinutes: 1, CoverImageURL: "https://example.com/c.png", MetaTitle: "Meta",
		MetaDescription: "Described", TagIDs: []string{"tag-a", "tag-b"}, Status: article.StatusArchived,
		PublishedAt: ptr(t1), ScheduledAt: ptr(t0), TrashedAt: ptr(t2), Version: 7, CreatedAt: t0, UpdatedAt: t2,
		SEO:      article.SEO{CanonicalURL: "https://example.com/hello", OGTitle: "OG", Noindex: true},
		Featured: true,
		Pending: &article.PendingChanges{
			Slug: "hello-again", Title: "Hello again", TagIDs: []string{"tag-b"}, SEO: article.SEO{OGTitle: "Next"}, Featured: true,
		},
		ChangesScheduledAt: ptr(t2),
	}
}

func TestStateIsTheReverseOfRehydrate(t *testing.T) {
	t.Parallel()
	want := fullState()
	for i := range reflect.TypeOf(want).NumField() {
		if reflect.ValueOf(want).Field(i).IsZero() {
			t.Fatalf("fullState leaves %s zero", reflect.TypeOf(want).Field(i).Name)
		}
	}
	if got := article.Rehydrate(want).State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Rehydrate(s).State():\n got %+v\nwant %+v", got, want)
	}

	a := newArticle(t)
	if err := a.Publish(t1); err != nil {
		t.Fatal(err)
	}
	if got := article.Rehydrate(a.State()).State(); !reflect.DeepEqual(got, a.State()) {
		t.Fatalf("Rehydrate(a.State()).State():\n got %+v\nwant %+v", got, a.State())
	}
}

func TestStateSharesNothingWithTheArticle(t *testing.T) {
	t.Parallel()
	in := fullState()
	a := article.Rehydrate(in)
	in.TagIDs[0], *in.PublishedAt, *in.TrashedAt = "changed", t0, t0
	if got := a.State(); !reflect.DeepEqual(got, fullState()) {
		t.Fatalf("changing Rehydrate's input changed the article: %+v", got)
	}
	out := a.State()
	out.TagIDs[0], *out.PublishedAt, *out.ScheduledAt, *out.TrashedAt = "changed", t2, t2, t0
	out.Pending.TagIDs[0], *out.ChangesScheduledAt = "changed", t0
	if got := a.State(); !reflect.DeepEqual(got, fullState()) {
		t.Fatalf("changing State's result changed the article: %+v", got)
	}
}
