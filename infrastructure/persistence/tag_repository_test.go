package persistence_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestTagRepositoryContract(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		ctx, repo := f.ctx, f.tags
		goTag := f.tag("Go")

		for name, get := range map[string]func() (*tag.Tag, error){
			"id":   func() (*tag.Tag, error) { return repo.Get(ctx, goTag.ID()) },
			"slug": func() (*tag.Tag, error) { return repo.GetBySlug(ctx, "go") },
		} {
			got, err := get()
			if err != nil {
				t.Fatalf("by %s: %v", name, err)
			}
			if got.ID() != goTag.ID() || got.Slug() != "go" || got.Name() != "Go" || got.Description() != "about Go" ||
				got.Version() != 1 || !got.CreatedAt().Equal(contentT0) || got.UpdatedAt().Location() != time.UTC {
				t.Fatalf("by %s: round trip changed the tag: %+v", name, got)
			}
		}
		for name, get := range map[string]func() (*tag.Tag, error){
			"unknown id":     func() (*tag.Tag, error) { return repo.Get(ctx, f.newID()) },
			"malformed id":   func() (*tag.Tag, error) { return repo.Get(ctx, "not-a-uuid") },
			"unknown slug":   func() (*tag.Tag, error) { return repo.GetBySlug(ctx, "rust") },
			"malformed slug": func() (*tag.Tag, error) { return repo.GetBySlug(ctx, "go\x00") },
		} {
			if _, err := get(); !errors.Is(err, tag.ErrNotFound) {
				t.Fatalf("%s: err = %v, want tag_not_found", name, err)
			}
		}

		rust := f.tag("Rust")
		found, err := repo.GetBySlugs(ctx, []string{"rust", "go", "zig", "bad\xff"})
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, tg := range found {
			slugs = append(slugs, tg.Slug())
		}
		if slices.Sort(slugs); !slices.Equal(slugs, []string{"go", "rust"}) {
			t.Fatalf("GetBySlugs = %v", slugs)
		}
		if none, err := repo.GetBySlugs(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("GetBySlugs(nil) = %v, %v", none, err)
		}

		sameName, _ := tag.New(f.newID(), "  GO ", "golang", "", contentT0)
		if code, kind, fields := errorParts(repo.Add(ctx, sameName)); code != "tag_name_taken" || kind != shared.KindConflict || !slices.Equal(fields, []string{"name"}) {
			t.Fatalf("same name ignoring case: %s %d %v", code, kind, fields)
		}
		sameSlug, _ := tag.New(f.newID(), "Golang", "go", "", contentT0)
		if code, _, fields := errorParts(repo.Add(ctx, sameSlug)); code != "slug_taken" || !slices.Equal(fields, []string{"slug"}) {
			t.Fatalf("same slug: %s %v", code, fields)
		}

		later := contentT0.Add(time.Hour)
		edited := f.getTag(goTag.ID())
		if _, err := edited.Update(tag.Changes{Name: ptrTo("Golang"), Description: ptrTo("")}, later); err != nil {
			t.Fatal(err)
		}
		if err := repo.Save(ctx, edited, 1); err != nil {
			t.Fatalf("save: %v", err)
		}
		got := f.getTag(goTag.ID())
		if got.Name() != "Golang" || got.Slug() != "go" || got.Description() != "" || got.Version() != 2 || !got.UpdatedAt().Equal(later) {
			t.Fatalf("after save: %+v", got)
		}

		stale := f.getTag(goTag.ID())
		_, _ = stale.Update(tag.Changes{Description: ptrTo("stale")}, later)
		err = repo.Save(ctx, stale, 1)
		if !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(2) {
			t.Fatalf("stale save: err = %v, current_version = %v", err, currentVersionOf(err))
		}
		renamed := f.getTag(rust.ID())
		_, _ = renamed.Update(tag.Changes{Name: ptrTo("GOLANG")}, later)
		if code, _, _ := errorParts(repo.Save(ctx, renamed, 1)); code != "tag_name_taken" {
			t.Fatalf("rename to a taken name: %s", code)
		}

		if err := repo.Delete(ctx, goTag.ID(), 1); !errors.Is(err, shared.ErrVersionConflict) {
			t.Fatalf("stale delete: %v", err)
		}
		if err := repo.Delete(ctx, goTag.ID(), 2); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := repo.Get(ctx, goTag.ID()); !errors.Is(err, tag.ErrNotFound) {
			t.Fatalf("deleted tag: %v", err)
		}
		for name, err := range map[string]error{
			"delete again":      repo.Delete(ctx, goTag.ID(), 2),
			"delete malformed":  repo.Delete(ctx, "x", 1),
			"save deleted":      repo.Save(ctx, edited, 2),
			"save never stored": repo.Save(ctx, sameName, 1),
		} {
			if !errors.Is(err, tag.ErrNotFound) {
				t.Fatalf("%s: %v, want tag_not_found", name, err)
			}
		}
		// The freed name and slug can be taken again.
		if err := repo.Add(ctx, sameName); err != nil {
			t.Fatalf("reuse a deleted tag's name: %v", err)
		}
	})
}

func TestDeletingATagRemovesItFromItsArticles(t *testing.T) {
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
		_, _ = got.Edit(article.Changes{TagIDs: &[]string{a.ID(), c.ID()}}, f.renderer, contentT0.Add(time.Hour))
		if err := f.save(got, art.Version()); err != nil {
			t.Fatal(err)
		}
		again, _ := f.articles.Get(f.ctx, art.ID())
		if !slices.Equal(again.TagIDs(), []string{a.ID(), c.ID()}) {
			t.Fatalf("tags after reorder = %v", again.TagIDs())
		}
	})
}

func (f *contentFixture) getTag(id string) *tag.Tag {
	f.t.Helper()
	tg, err := f.tags.Get(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return tg
}

func ptrTo[T any](v T) *T { return &v }
