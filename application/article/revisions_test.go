package article_test

import (
	"testing"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
)

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
