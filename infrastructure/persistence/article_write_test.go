package persistence_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestArticleSaveRewritesTagsOnlyWhenTheyChanged(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		goTag, dbTag := f.tag("Go"), f.tag("Databases")
		a := f.add(f.newArticle(author, article.Content{Title: "Tagged", TagIDs: []string{goTag.ID(), dbTag.ID()}}, contentT0))
		n, mark := countQueries(t, db)
		ctx := mark(f.ctx)

		// edit loads the article, applies change and saves it in one transaction, as the
		// application does, and returns how many statements that took.
		edit := func(change article.Changes) *article.Article {
			t.Helper()
			n.Store(0)
			var got *article.Article
			err := f.tx.Do(ctx, func(ctx context.Context) error {
				var err error
				if got, err = f.articles.Get(ctx, a.ID()); err != nil {
					return err
				}
				before := got.Version()
				if _, err := got.Edit(change, contentT0.Add(time.Hour)); err != nil {
					return err
				}
				return f.articles.Save(ctx, got, before)
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		for _, tt := range []struct {
			name       string
			change     article.Changes
			statements int64
			tags       []string
		}{
			{"title only", article.Changes{Title: ptrTo("Renamed")}, 2, []string{goTag.ID(), dbTag.ID()}},
			{"the same tags", article.Changes{Title: ptrTo("Again"), TagIDs: &[]string{goTag.ID(), dbTag.ID()}}, 2, []string{goTag.ID(), dbTag.ID()}},
			{"reordered", article.Changes{TagIDs: &[]string{dbTag.ID(), goTag.ID()}}, 4, []string{dbTag.ID(), goTag.ID()}},
			{"one removed", article.Changes{TagIDs: &[]string{goTag.ID()}}, 4, []string{goTag.ID()}},
			{"none left", article.Changes{TagIDs: &[]string{}}, 3, nil},
		} {
			saved := edit(tt.change)
			if n.Load() != tt.statements {
				t.Errorf("%s: get and save took %d statements, want %d", tt.name, n.Load(), tt.statements)
			}
			got, err := f.articles.Get(f.ctx, a.ID())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.TagIDs(), tt.tags) || !reflect.DeepEqual(got.State(), saved.State()) {
				t.Errorf("%s: stored %+v, want %+v", tt.name, got.State(), saved.State())
			}
		}

		// An article the repository did not load (rebuilt from its state) has its tags written.
		stored, _ := f.articles.Get(f.ctx, a.ID())
		copied := article.Rehydrate(stored.State())
		if _, err := copied.Edit(article.Changes{TagIDs: &[]string{dbTag.ID()}}, contentT0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := f.save(copied, stored.Version()); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.articles.Get(f.ctx, a.ID()); !reflect.DeepEqual(got.TagIDs(), []string{dbTag.ID()}) {
			t.Fatalf("tags of a rebuilt article: %v", got.TagIDs())
		}
	})
}

func TestReadModelNamesAuthorAndTagsInOneQuery(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		goTag, dbTag := f.tag("Go"), f.tag("Databases")
		n, mark := countQueries(t, db)
		gone := f.newID()

		gotAuthor, tags, err := f.reads.ArticleRefs(mark(f.ctx), author, []string{dbTag.ID(), gone, goTag.ID()})
		if err != nil || n.Load() != 1 {
			t.Fatalf("%d queries, %v", n.Load(), err)
		}
		wantTags := []articleapp.TagRef{
			{ID: dbTag.ID(), Slug: dbTag.Slug(), Name: dbTag.Name()},
			{ID: goTag.ID(), Slug: goTag.Slug(), Name: goTag.Name()},
		}
		if gotAuthor != (articleapp.AuthorRef{ID: author, Slug: "ann", Name: "Ann"}) || !reflect.DeepEqual(tags, wantTags) {
			t.Fatalf("refs: %+v %+v", gotAuthor, tags)
		}

		gotAuthor, tags, err = f.reads.ArticleRefs(f.ctx, gone, nil)
		if err != nil || gotAuthor != (articleapp.AuthorRef{ID: gone}) || tags == nil || len(tags) != 0 {
			t.Fatalf("unknown author, no tags: %+v %#v %v", gotAuthor, tags, err)
		}
	})
}
