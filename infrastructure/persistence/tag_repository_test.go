package persistence_test

import (
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// The repository side of a tag deletion is in the article contract; the read model must follow.
func TestDeletingATagRemovesItFromTheReadModel(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		a, b, c := f.tag("Alpha"), f.tag("Beta"), f.tag("Gamma")
		art := f.published(author, "Tagged", "Body", contentT0, c, b, a)
		if err := f.tags.Delete(f.ctx, b.ID(), 1); err != nil {
			t.Fatal(err)
		}
		got, err := f.articles.Get(f.ctx, art.ID())
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{c.ID(), a.ID()}; !slices.Equal(got.TagIDs(), want) {
			t.Fatalf("tags after delete = %v, want %v (order kept)", got.TagIDs(), want)
		}
		if got.Version() != art.Version() {
			t.Fatalf("version moved from %d to %d", art.Version(), got.Version())
		}
		detail, err := f.reads.GetArticle(f.ctx, art.ID())
		if err != nil {
			t.Fatal(err)
		}
		if len(detail.Tags) != 2 || detail.Tags[0].Slug != "gamma" || detail.Tags[1].Slug != "alpha" {
			t.Fatalf("read model tags = %+v", detail.Tags)
		}
		// The remaining tags still save in their new order.
		_, _ = got.Edit(article.Changes{TagIDs: &[]string{a.ID(), c.ID()}}, contentT0.Add(time.Hour))
		if got.HasPendingChanges() { // a live article's edit is staged until its changes are published
			if err := got.PublishChanges(contentT0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.save(got, art.Version()); err != nil {
			t.Fatal(err)
		}
		again, _ := f.articles.Get(f.ctx, art.ID())
		if !slices.Equal(again.TagIDs(), []string{a.ID(), c.ID()}) {
			t.Fatalf("tags after reorder = %v", again.TagIDs())
		}
	})
}

func ptrTo[T any](v T) *T { return &v }
