package article_test

import (
	"errors"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// livePending returns a published article whose title has a pending change, events pulled.
func livePending(t *testing.T) *article.Article {
	t.Helper()
	a := newArticle(t)
	if err := a.Publish(t0); err != nil {
		t.Fatal(err)
	}
	if changed, err := a.Edit(article.Changes{Title: ptr("Next title")}, t1); err != nil || !changed {
		t.Fatalf("edit: %v %v", changed, err)
	}
	a.PullEvents()
	return a
}

func TestAnEditOfALiveArticleIsStaged(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	if err := a.Publish(t0); err != nil {
		t.Fatal(err)
	}
	a.PullEvents()
	changed, err := a.Edit(article.Changes{Title: ptr("Next title"), Body: ptr(body("Next body"))}, t1)
	if err != nil || !changed {
		t.Fatalf("edit: %v %v", changed, err)
	}
	expect(t, "live title", a.Title(), "Hello World")
	expect(t, "pending title", a.Pending().Title, "Next title")
	expect(t, "pending body", a.Pending().BodyMarkdown, "Next body")
	expect(t, "events", eventTypes(a), article.EventChangesSaved)
	expect(t, "version", a.Version(), shared.Version(3))
	expect(t, "revision is of the pending state", a.Snapshot(0, "u1", t1).Pending, true)
	// Editing back to the live content drops the pending changes.
	if changed, err := a.Edit(article.Changes{Title: ptr("Hello World"), Body: ptr(body("# Hello\n\nThis is the body."))}, t2); err != nil || !changed {
		t.Fatalf("edit back: %v %v", changed, err)
	}
	expect(t, "pending after editing back", a.HasPendingChanges(), false)
}

func TestStagedChangeActions(t *testing.T) {
	t.Parallel()
	future := t2.Add(time.Hour)
	tests := []struct {
		name        string
		act         func(a *article.Article) error
		wantErr     error
		wantTitle   string
		wantPending bool
		wantEvents  string
	}{
		{"publish changes", func(a *article.Article) error { return a.PublishChanges(t2) }, nil, "Next title", false, article.EventUpdated},
		{"discard changes", func(a *article.Article) error { return a.DiscardChanges(t2) }, nil, "Hello World", false, article.EventChangesSaved},
		{"schedule changes", func(a *article.Article) error { return a.ScheduleChanges(future, t2) }, nil, "Hello World", true, article.EventUpdated},
		{"schedule changes in the past", func(a *article.Article) error { return a.ScheduleChanges(t0, t2) }, shared.Validation(), "Hello World", true, ""},
		{"unpublish folds them into the draft", func(a *article.Article) error { return a.Unpublish(t2) }, nil, "Next title", false, article.EventUnpublished},
		{"archive folds them", func(a *article.Article) error { return a.Archive(t2) }, nil, "Next title", false, article.EventArchived},
		{"the scheduler's move before the time", func(a *article.Article) error { return a.PublishScheduledChanges(t2) }, shared.ErrInvalidTransition, "Hello World", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := livePending(t)
			err := tt.act(a)
			if !errors.Is(err, tt.wantErr) || (err != nil && tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			expect(t, "live title", a.Title(), tt.wantTitle)
			expect(t, "pending", a.HasPendingChanges(), tt.wantPending)
			expect(t, "events", eventTypes(a), tt.wantEvents)
		})
	}
}

func TestScheduledChangesFallDue(t *testing.T) {
	t.Parallel()
	a := livePending(t)
	at := t2.Add(time.Minute)
	if err := a.ScheduleChanges(at, t2); err != nil {
		t.Fatal(err)
	}
	expect(t, "due before", a.ChangesDue(t2), false)
	expect(t, "due at", a.ChangesDue(at), true)
	if err := a.PublishScheduledChanges(at); err != nil {
		t.Fatal(err)
	}
	expect(t, "live title", a.Title(), "Next title")
	expect(t, "scheduled", a.ChangesScheduledAt() == nil, true)
	expect(t, "due after", a.ChangesDue(at), false)
}

func TestActionsWithoutPendingChangesAreRefused(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	for name, err := range map[string]error{
		"publish changes of a draft": a.PublishChanges(t1),
		"discard changes of a draft": a.DiscardChanges(t1),
	} {
		if !errors.Is(err, shared.ErrInvalidTransition) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := a.Publish(t0); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"publish":  a.PublishChanges(t1),
		"discard":  a.DiscardChanges(t1),
		"schedule": a.ScheduleChanges(t2, t1),
	} {
		if !errors.Is(err, article.ErrNoPendingChanges) {
			t.Errorf("%s without pending changes: %v", name, err)
		}
	}
}

func TestSEOFallbacks(t *testing.T) {
	t.Parallel()
	none := article.SEO{}.Resolve("Title", "Excerpt", "", "", "https://img/c.png")
	want := article.ResolvedSEO{MetaTitle: "Title", MetaDescription: "Excerpt", OGTitle: "Title", OGDescription: "Excerpt",
		OGImageURL: "https://img/c.png", TwitterTitle: "Title", TwitterDescription: "Excerpt", TwitterImageURL: "https://img/c.png"}
	expect(t, "nothing set", none, want)
	some := article.SEO{OGTitle: "OG", TwitterDescription: "TW", OGImageURL: "https://img/og.png", Noindex: true}.
		Resolve("Title", "Excerpt", "Meta", "Meta description", "")
	want = article.ResolvedSEO{MetaTitle: "Meta", MetaDescription: "Meta description", OGTitle: "OG", OGDescription: "Meta description",
		OGImageURL: "https://img/og.png", TwitterTitle: "OG", TwitterDescription: "TW", TwitterImageURL: "https://img/og.png", Noindex: true}
	expect(t, "some set", some, want)
}

func TestSEOFieldsAreValidated(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	_, err := a.Edit(article.Changes{SEO: article.SEOChanges{
		CanonicalURL: ptr("not a url"), OGImageURL: ptr("ftp://x/y.png"), TwitterTitle: ptr(stringOf('x', article.MaxSocialTitleLength+1)),
	}}, t1)
	got := fieldsOf(err)
	for _, f := range []string{"canonical_url", "og_image", "twitter_title"} {
		found := false
		for _, g := range got {
			found = found || g == f
		}
		if !found {
			t.Errorf("no field error on %s: %v", f, got)
		}
	}
}

func stringOf(r rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}
