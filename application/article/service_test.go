package article_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestChangesNeedTheCurrentVersion(t *testing.T) {
	t.Parallel()
	changes := []struct {
		name string
		run  func(f *fixture, d articleapp.ArticleDetail, v shared.Version) error
	}{
		{"update", func(f *fixture, d articleapp.ArticleDetail, v shared.Version) error {
			_, err := f.svc.Update(as(uEditor), d.ID, v, articleapp.UpdateArticle{Title: ptr("Changed")})
			return err
		}},
		{"publish", func(f *fixture, d articleapp.ArticleDetail, v shared.Version) error {
			_, err := f.svc.Act(as(uEditor), d.ID, v, articleapp.ActionPublish, nil)
			return err
		}},
		{"trash", func(f *fixture, d articleapp.ArticleDetail, v shared.Version) error {
			return f.svc.Trash(as(uEditor), d.ID, v)
		}},
		{"restore revision", func(f *fixture, d articleapp.ArticleDetail, v shared.Version) error {
			_, err := f.svc.RestoreRevision(as(uEditor), d.ID, 1, v)
			return err
		}},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			d := f.draft(uAuthor, "Versioned")
			d, err := f.svc.Update(as(uAuthor), d.ID, d.Version, articleapp.UpdateArticle{Excerpt: ptr("Second")})
			if err != nil || d.Version != 2 {
				t.Fatalf("update: version %d, %v", d.Version, err)
			}
			journal := len(f.w.journal.Entries())
			if err := c.run(f, d, 0); codeOf(err) != "precondition_required" || shared.KindOf(err) != shared.KindVersionRequired {
				t.Fatalf("without If-Match: %v", err)
			}
			err = c.run(f, d, 1)
			var de *shared.Error
			if !errors.As(err, &de) || de.Kind != shared.KindStaleVersion || de.Details["current_version"] != int64(2) {
				t.Fatalf("stale If-Match: want version_conflict with current_version 2, got %v (%+v)", err, de)
			}
			if v, revs := f.stored(d.ID); v != 2 || revs != 2 {
				t.Fatalf("a refused change wrote: version %d, %d revisions", v, revs)
			}
			if got := f.w.journal.Entries()[journal:]; slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "incr") }) {
				t.Fatalf("a refused change invalidated the cache: %v", got)
			}
			if err := c.run(f, d, 2); err != nil {
				t.Fatalf("current If-Match: %v", err)
			}
		})
	}
}

func TestEveryChangeStoresARevisionAndItsEvent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.tag("Go")
	ctx := as(uAuthor)
	d := f.draft(uAuthor, "Journey", "go")
	steps := []struct {
		event string
		run   func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error)
	}{
		{"article.updated,article.changes_saved", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Update(ctx, d.ID, d.Version, articleapp.UpdateArticle{Title: ptr("Journey, revised"), Tags: &[]string{}})
		}},
		{"article.published", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionPublish, nil)
		}},
		{"article.unpublished", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionUnpublish, nil)
		}},
		{"article.updated", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionSchedule, ptr(t0.Add(time.Hour)))
		}},
		{"article.updated", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionUnschedule, nil)
		}},
		{"article.archived", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionArchive, nil)
		}},
		{"article.updated", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionUnarchive, nil)
		}},
		{"article.deleted", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			if err := f.svc.Trash(ctx, d.ID, d.Version); err != nil {
				return d, err
			}
			return f.svc.Get(ctx, d.ID)
		}},
		{"article.updated", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.RestoreFromTrash(ctx, d.ID)
		}},
		{"article.updated,article.changes_saved", func(d articleapp.ArticleDetail) (articleapp.ArticleDetail, error) {
			return f.svc.RestoreRevision(ctx, d.ID, 1, d.Version)
		}},
	}
	want := []string{"article.created"}
	for i, step := range steps {
		var err error
		if d, err = step.run(d); err != nil {
			t.Fatalf("step %d (%s): %v", i, step.event, err)
		}
		want = append(want, step.event)
		if d.Version != shared.Version(i+2) {
			t.Fatalf("step %d: version %d, want %d", i, d.Version, i+2)
		}
	}
	msgs := f.w.outboxCopy()
	if got := eventTypes(msgs); got != strings.Join(want, ",") {
		t.Fatalf("events:\n got %s\nwant %s", got, strings.Join(want, ","))
	}
	page, err := f.svc.Revisions(ctx, d.ID, listing.FirstPage())
	revs := page.Items
	if err != nil || len(revs) != len(want) {
		t.Fatalf("revisions: %d, %v; want one per change (%d)", len(revs), err, len(want))
	}
	for i, r := range revs {
		if r.Number != len(want)-i || r.Version != shared.Version(len(want)-i) || r.EditorID != uAuthor {
			t.Fatalf("revision %d = %+v, want newest first with number = version and the editor", i, r)
		}
	}
	// The restore of revision 1 brought back its title and tag.
	if d.Title != "Journey" || len(d.Tags) != 1 || d.Tags[0].Slug != "go" || d.Status != article.StatusDraft {
		t.Fatalf("after restoring revision 1: %+v", d.ArticleSummary)
	}
	// Each event carries the summary as it was right after its change, in the shape EventShapes
	// gives it (the fake keeps the view; the HTTP tests compare the JSON with the API's).
	published := msgs[3]
	data := published.Data.(shapedArticle).ArticleSummary
	if published.AggregateType != "article" || published.AggregateID != d.ID || published.ID == "" ||
		data.Title != "Journey, revised" || data.Status != article.StatusPublished || data.Version != 3 ||
		!data.PublishedAt.Equal(t0) || data.Slug != "journey" {
		t.Fatalf("article.published message: %+v", published)
	}
	if data.Author.ID != uAuthor || data.Author.Slug != uAuthor || data.Author.Name == "" {
		t.Fatalf("author in payload: %v", data.Author)
	}
	if tags := msgs[0].Data.(shapedArticle).Tags; len(tags) != 1 || tags[0].Slug != "go" || tags[0].Name != "Go" {
		t.Fatalf("tags in the created payload: %v", tags)
	}
}

func TestAnUpdateThatChangesNothingWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.draft(uAuthor, "Still")
	events := len(f.w.outboxCopy())
	got, err := f.svc.Update(as(uAuthor), d.ID, d.Version, articleapp.UpdateArticle{Title: ptr("Still")})
	if err != nil || got.Version != d.Version {
		t.Fatalf("no-op update: version %d, %v", got.Version, err)
	}
	if v, revs := f.stored(d.ID); v != 1 || revs != 1 || len(f.w.outboxCopy()) != events {
		t.Fatalf("no-op update wrote: version %d, %d revisions, %d events", v, revs, len(f.w.outboxCopy()))
	}
}

func TestUnknownTagSlugsAreValidationErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.tag("Go")
	_, err := f.svc.Create(as(uAuthor), articleapp.CreateArticle{Title: "Tagged", Tags: []string{"go", "nope"}})
	if shared.KindOf(err) != shared.KindInvalid || !slices.Equal(fieldsOf(err), []string{"tags"}) || !strings.Contains(fieldMessage(err), "nope") {
		t.Fatalf("create with an unknown tag: %v", err)
	}
	d := f.draft(uAuthor, "Tagged", "go")
	_, err = f.svc.Update(as(uAuthor), d.ID, d.Version, articleapp.UpdateArticle{Tags: &[]string{"nope"}})
	if !slices.Equal(fieldsOf(err), []string{"tags"}) {
		t.Fatalf("update with an unknown tag: %v", err)
	}
	if got, _ := f.svc.Get(as(uAuthor), d.ID); len(got.Tags) != 1 || got.Version != 1 {
		t.Fatalf("the refused update changed the article: %+v", got.ArticleSummary)
	}
}

func TestWorkflowRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.draft(uEditor, "Flow")
	ctx := as(uEditor)
	if _, err := f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionSchedule, ptr(t0.Add(-time.Minute))); !slices.Equal(fieldsOf(err), []string{"publish_at"}) {
		t.Fatalf("schedule in the past: %v", err)
	}
	if _, err := f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionSchedule, nil); !slices.Equal(fieldsOf(err), []string{"publish_at"}) {
		t.Fatalf("schedule without a time: %v", err)
	}
	if _, err := f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionPublish, ptr(t0)); !slices.Equal(fieldsOf(err), []string{"publish_at"}) {
		t.Fatalf("publish with a time: %v", err)
	}
	_, err := f.svc.Act(ctx, d.ID, d.Version, articleapp.ActionUnpublish, nil)
	if codeOf(err) != "invalid_transition" || shared.KindOf(err) != shared.KindConflict {
		t.Fatalf("unpublish a draft: %v", err)
	}
	if _, err := f.svc.Act(ctx, d.ID, d.Version, "explode", nil); codeOf(err) != "unknown_action" {
		t.Fatalf("unknown action: %v", err)
	}
	if v, revs := f.stored(d.ID); v != 1 || revs != 1 {
		t.Fatalf("refused actions wrote: version %d, %d revisions", v, revs)
	}
	if _, err := f.svc.Act(ctx, "missing", 1, articleapp.ActionPublish, nil); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("missing article: %v", err)
	}
}

func TestParseAction(t *testing.T) {
	t.Parallel()
	for _, a := range articleapp.Actions {
		if got, err := articleapp.ParseAction(string(a)); err != nil || got != a {
			t.Errorf("ParseAction(%q) = %q, %v", a, got, err)
		}
	}
	for _, s := range []string{"", "Publish", "restore", "delete"} {
		_, err := articleapp.ParseAction(s)
		if codeOf(err) != "unknown_action" || shared.KindOf(err) != shared.KindNotFound {
			t.Errorf("ParseAction(%q): %v", s, err)
		}
	}
}

func TestTrashHidesAndRestoreBringsBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.published(uAuthor, "Binned")
	ctx := as(uAuthor)
	if err := f.svc.Trash(ctx, d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PublishedArticle(ctx, d.Slug); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("a trashed article is public: %v", err)
	}
	got, err := f.svc.Get(ctx, d.ID)
	if err != nil || got.TrashedAt == nil {
		t.Fatalf("Get of a trashed article: %+v, %v", got.TrashedAt, err)
	}
	if _, err := f.svc.Update(ctx, d.ID, got.Version, articleapp.UpdateArticle{Title: ptr("x")}); codeOf(err) != "article_trashed" {
		t.Fatalf("editing a trashed article: %v", err)
	}
	restored, err := f.svc.RestoreFromTrash(ctx, d.ID)
	if err != nil || restored.TrashedAt != nil || restored.Status != article.StatusPublished {
		t.Fatalf("restore: %+v, %v", restored.ArticleSummary, err)
	}
	if _, err := f.svc.RestoreFromTrash(ctx, d.ID); codeOf(err) != "article_not_trashed" {
		t.Fatalf("restoring twice: %v", err)
	}
	if p, err := f.svc.PublishedArticle(ctx, d.Slug); err != nil || p.ID != d.ID {
		t.Fatalf("restored article not public again: %v", err)
	}
}

func fieldMessage(err error) string {
	var de *shared.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return ""
	}
	return de.Fields[0].Message
}
