package article_test

import (
	"errors"
	"slices"
	"testing"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

func TestTagLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := as(uEditor)
	tg, err := f.svc.CreateTag(ctx, articleapp.CreateTag{Name: "Go Lang", Description: "Gophers"})
	if err != nil || tg.Slug != "go-lang" || tg.Version != 1 {
		t.Fatalf("create: %+v, %v", tg, err)
	}
	if _, err := f.svc.CreateTag(ctx, articleapp.CreateTag{Name: "go lang", Slug: "other"}); !errors.Is(err, tag.ErrNameTaken) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := f.svc.CreateTag(ctx, articleapp.CreateTag{Name: ""}); shared.KindOf(err) != shared.KindInvalid {
		t.Fatalf("empty name: %v", err)
	}
	d := f.published(uAuthor, "Tagged", "go-lang")

	if _, err := f.svc.UpdateTag(ctx, tg.ID, 0, articleapp.UpdateTag{Name: ptr("Go")}); codeOf(err) != "precondition_required" {
		t.Fatalf("update without If-Match: %v", err)
	}
	if _, err := f.svc.UpdateTag(as(uAuthor), tg.ID, tg.Version, articleapp.UpdateTag{Name: ptr("Go")}); codeOf(err) != "forbidden" {
		t.Fatalf("author updating a tag: %v", err)
	}
	tg, err = f.svc.UpdateTag(ctx, tg.ID, tg.Version, articleapp.UpdateTag{Name: ptr("Go")})
	if err != nil || tg.Name != "Go" || tg.Slug != "go-lang" || tg.Version != 2 || tg.ArticleCount != 1 {
		t.Fatalf("rename keeps the slug: %+v, %v", tg, err)
	}
	var de *shared.Error
	if _, err := f.svc.UpdateTag(ctx, tg.ID, 1, articleapp.UpdateTag{Name: ptr("Golang")}); !errors.As(err, &de) || de.Details["current_version"] != int64(2) {
		t.Fatalf("stale update: %v", err)
	}
	if err := f.svc.DeleteTag(ctx, tg.ID, 1); codeOf(err) != "version_conflict" {
		t.Fatalf("stale delete: %v", err)
	}
	if err := f.svc.DeleteTag(ctx, tg.ID, 0); codeOf(err) != "precondition_required" {
		t.Fatalf("delete without If-Match: %v", err)
	}
	if err := f.svc.DeleteTag(ctx, tg.ID, tg.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.GetTag(ctx, tg.ID); !errors.Is(err, tag.ErrNotFound) {
		t.Fatalf("deleted tag still there: %v", err)
	}
	if got, _ := f.svc.Get(ctx, d.ID); len(got.Tags) != 0 {
		t.Fatalf("the deleted tag stays on its article: %+v", got.Tags)
	}

	var tagEvents []string
	var deleted map[string]any
	for _, m := range f.w.outboxCopy() {
		if m.AggregateType == "tag" {
			tagEvents = append(tagEvents, m.Type)
			if m.Type == tag.EventDeleted {
				deleted = m.Data.(map[string]any)
			}
		}
	}
	if want := []string{"tag.created", "tag.updated", "tag.deleted"}; !slices.Equal(tagEvents, want) {
		t.Fatalf("tag events %v, want %v", tagEvents, want)
	}
	if deleted["id"] != tg.ID || deleted["name"] != "Go" || deleted["slug"] != "go-lang" || deleted["article_count"] != 1 || deleted["version"] != int64(2) {
		t.Fatalf("tag.deleted carries the tag as it was: %v", deleted)
	}
	if tags, err := f.svc.ListTags(as(uViewer)); err != nil || len(tags) != 0 {
		t.Fatalf("list tags: %+v, %v", tags, err)
	}
}

func TestRevisionsReadAndRestore(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.tag("Go")
	f.tag("Rust")
	ctx := as(uAuthor)
	d := f.draft(uAuthor, "First take", "go", "rust")
	d, err := f.svc.Update(ctx, d.ID, d.Version, articleapp.UpdateArticle{
		Title: ptr("Second take"), BodyMarkdown: ptr("New body"), Slug: ptr("second"), Tags: &[]string{},
	})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := f.svc.Revision(as(uViewer), d.ID, 1)
	if err != nil || rev.Title != "First take" || rev.BodyMarkdown != "Body of First take" || len(rev.Tags) != 2 ||
		rev.Tags[0].Slug != "go" || rev.EditorID != uAuthor || rev.Number != 1 {
		t.Fatalf("revision 1: %+v, %v", rev, err)
	}
	if _, err := f.svc.Revision(ctx, d.ID, 9); codeOf(err) != "revision_not_found" {
		t.Fatalf("missing revision: %v", err)
	}
	if _, err := f.svc.Revisions(ctx, "missing", listing.FirstPage()); codeOf(err) != "article_not_found" {
		t.Fatalf("revisions of a missing article: %v", err)
	}
	// A tag deleted since the revision is dropped when it is read or restored.
	if err := f.w.db.Tags().Delete(ctx, "tag-Rust", 1); err != nil {
		t.Fatal(err)
	}
	restored, err := f.svc.RestoreRevision(ctx, d.ID, 1, d.Version)
	if err != nil || restored.Title != "First take" || restored.BodyMarkdown != "Body of First take" ||
		restored.Slug != "second" || len(restored.Tags) != 1 || restored.Version != 3 {
		t.Fatalf("restore revision 1: %+v, %v", restored, err)
	}
	page, err := f.svc.Revisions(ctx, d.ID, listing.FirstPage())
	revs := page.Items
	if err != nil || len(revs) != 3 || revs[0].Number != 3 || revs[0].Title != "First take" {
		t.Fatalf("revisions after the restore: %+v, %v", revs, err)
	}
}
