package persistence_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// A tag's public page is read from the tag links' copy of the publication date: every change of
// status, date or trash must reach it, and cursor pages must neither skip nor repeat.
func TestReadModelTagPageFollowsEveryWrite(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		goTag, other := f.tag("Go"), f.tag("Other")
		at := func(h int) time.Time { return contentT0.Add(time.Duration(h) * time.Hour) }
		var arts []*article.Article
		for i := range 7 {
			arts = append(arts, f.published(author, fmt.Sprintf("Article %d", i), "Body.", at(i), goTag, other))
		}
		now := at(100)
		list := func(q articleapp.ListQuery) []string {
			t.Helper()
			q.TagSlugs, q.Now = []string{goTag.Slug()}, now
			var ids []string
			for {
				page, err := f.reads.ListArticles(f.ctx, edge(q))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, idsOf(page.Items)...)
				if page.NextCursor == nil {
					return ids
				}
				c := *page.NextCursor
				q.Cursor = &c
			}
		}
		want := func(arts ...*article.Article) []string { return articleIDs(arts, nil) }
		newest := []*article.Article{arts[6], arts[5], arts[4], arts[3], arts[2], arts[1], arts[0]}
		if got := list(articleapp.ListQuery{Limit: 3}); !slices.Equal(got, want(newest...)) {
			t.Fatalf("newest first: got %v, want %v", got, want(newest...))
		}
		v := arts[5].Version()
		if err := arts[5].Trash(at(101)); err != nil {
			t.Fatal(err)
		}
		if err := f.save(arts[5], v); err != nil {
			t.Fatal(err)
		}
		v = arts[2].Version()
		if err := arts[2].Unpublish(at(101)); err != nil {
			t.Fatal(err)
		}
		if err := f.save(arts[2], v); err != nil {
			t.Fatal(err)
		}
		if got := list(articleapp.ListQuery{Limit: 2, Sort: articleapp.SortPublishedAsc}); !slices.Equal(got, want(arts[0], arts[1], arts[3], arts[4], arts[6])) {
			t.Fatalf("after trash and unpublish, oldest first: got %v", got)
		}
		v = arts[5].Version()
		if err := arts[5].RestoreFromTrash(at(102)); err != nil {
			t.Fatal(err)
		}
		if err := f.save(arts[5], v); err != nil {
			t.Fatal(err)
		}
		if got := list(articleapp.ListQuery{Limit: 100}); slices.Contains(got, arts[5].ID()) != (arts[5].Status() == article.StatusPublished) {
			t.Fatalf("after restore (status %s): got %v", arts[5].Status(), got)
		}
		if got := list(articleapp.ListQuery{Limit: 100, Page: 1}); len(got) != 5+boolInt(arts[5].Status() == article.StatusPublished) {
			t.Fatalf("page mode: got %v", got)
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Ranking is bounded to the newest matches, yet an exact title match still comes first among them.
func TestReadModelSearchRanksAnExactTitleFirst(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		at := func(h int) time.Time { return contentT0.Add(time.Duration(h) * time.Hour) }
		exact := f.published(author, "Zeppelin", "A short note.", at(1))
		for i := range 30 {
			f.published(author, fmt.Sprintf("Airships %d", i), "Somewhere in a long body a zeppelin flies by, once.", at(2+i))
		}
		for _, q := range []string{"zeppelin", "Zeppelin", `"zeppelin"`} {
			page, err := f.reads.ListArticles(f.ctx, edge(articleapp.ListQuery{Q: q, Now: at(100), Limit: 5}))
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 5 || page.Items[0].ID != exact.ID() {
				t.Fatalf("q=%q: first is %q (of %d), want the exact title %q", q, page.Items[0].Title, len(page.Items), exact.Title())
			}
		}
	})
}
