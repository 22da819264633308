package persistence_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// expectedOrder sorts arts the way the list must: by the sort's key, undated articles last in both
// directions, ties broken by id in the key's direction; titles compare by code point.
func expectedOrder(arts []*article.Article, sort articleapp.Sort) []string {
	arts = slices.Clone(arts)
	desc := strings.HasPrefix(string(sort), "-")
	slices.SortFunc(arts, func(a, b *article.Article) int {
		c := 0
		switch strings.TrimPrefix(string(sort), "-") {
		case "published_at":
			pa, pb := a.PublishedAt(), b.PublishedAt()
			if (pa == nil) != (pb == nil) {
				if pa == nil {
					return 1
				}
				return -1
			}
			if pa != nil {
				c = pa.Compare(*pb)
			}
		case "title":
			c = strings.Compare(a.Title(), b.Title())
		case "updated_at":
			c = a.UpdatedAt().Compare(b.UpdatedAt())
		case "created_at":
			c = a.CreatedAt().Compare(b.CreatedAt())
		}
		if c == 0 {
			c = strings.Compare(a.ID(), b.ID())
		}
		if desc {
			return -c
		}
		return c
	})
	return articleIDs(arts, nil)
}

// pageThrough follows the cursors from the first page to the last, passing each one through its
// string form as a client does, and returns the ids in the order they came and the page count.
func (s *readModelSet) pageThrough(q articleapp.ListQuery) ([]string, int) {
	s.t.Helper()
	var ids []string
	for pages := 1; pages <= 100; pages++ {
		q = edge(q)
		page := s.list(q)
		ids = append(ids, idsOf(page.Items)...)
		if !page.HasMore {
			if page.NextCursor != nil {
				s.t.Fatalf("last page has a next cursor")
			}
			return ids, pages
		}
		if page.NextCursor == nil || len(page.Items) != q.Limit {
			s.t.Fatalf("page %d: has_more with %d items and cursor %v", pages, len(page.Items), page.NextCursor)
		}
		c, err := listing.DecodeCursor(page.NextCursor.Encode(), articleapp.Order(q.Visibility, q.Sort))
		if err != nil {
			s.t.Fatalf("decode our own cursor: %v", err)
		}
		q.Cursor = c
	}
	s.t.Fatal("paging does not end")
	return nil, 0
}

func TestReadModelCursorPagingVisitsEveryArticleOnceInOrder(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		for _, sort := range []articleapp.Sort{"", articleapp.SortPublishedAsc, articleapp.SortTitleAsc, articleapp.SortTitleDesc} {
			ids, pages := s.pageThrough(articleapp.ListQuery{Sort: sort, Limit: 10})
			effective := sort
			if sort == "" {
				effective = articleapp.SortPublishedDesc
			}
			if want := expectedOrder(s.public, effective); !slices.Equal(ids, want) || pages != 3 {
				t.Errorf("public %q: %d pages\n got %v\nwant %v", sort, pages, ids, want)
			}
		}
		// Admin lists hold undated drafts (NULL published_at) and every admin sort.
		all := append(slices.Clone(s.public), s.hiddenExcept("trashed")...)
		for _, sort := range []articleapp.Sort{
			articleapp.SortPublishedDesc, articleapp.SortPublishedAsc, articleapp.SortTitleAsc,
			articleapp.SortTitleDesc, articleapp.SortUpdatedDesc, articleapp.SortCreatedDesc,
		} {
			for _, limit := range []int{1, 7, 10} {
				ids, _ := s.pageThrough(articleapp.ListQuery{Visibility: articleapp.VisibilityAdmin, Sort: sort, Limit: limit})
				if want := expectedOrder(all, sort); !slices.Equal(ids, want) {
					t.Errorf("admin %q limit %d:\n got %v\nwant %v", sort, limit, ids, want)
				}
			}
		}
		// Filters hold across pages.
		ids, _ := s.pageThrough(articleapp.ListQuery{TagSlugs: []string{"go", "rust"}, Sort: articleapp.SortTitleAsc, Limit: 4})
		want := expectedOrder(slices.DeleteFunc(slices.Clone(s.public), func(a *article.Article) bool { return len(a.TagIDs()) == 0 }), articleapp.SortTitleAsc)
		if !slices.Equal(ids, want) {
			t.Errorf("filtered paging:\n got %v\nwant %v", ids, want)
		}
	})
}

func TestReadModelCursorIsAKeysetNotAnOffset(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		first := s.list(articleapp.ListQuery{Limit: 10})
		// A newer article and the loss of one already shown shift every offset, not the keyset.
		s.published(s.ann, "Breaking", "News", s.now.Add(-time.Minute))
		shown, _ := s.articles.Get(s.ctx, first.Items[0].ID)
		_ = shown.Trash(s.now)
		if err := s.save(shown, shown.Version()-1); err != nil {
			t.Fatal(err)
		}
		q := articleapp.ListQuery{Limit: 10, Cursor: first.NextCursor}
		rest, _ := s.pageThrough(q)
		if got, want := append(idsOf(first.Items), rest...), expectedOrder(s.public, articleapp.SortPublishedDesc); !slices.Equal(got, want) {
			t.Fatalf("pages after concurrent changes:\n got %v\nwant %v", got, want)
		}
	})
}

func TestReadModelPageMode(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		want := expectedOrder(s.public, articleapp.SortTitleDesc)
		var got []string
		for n := 1; n <= 4; n++ {
			page := s.list(articleapp.ListQuery{Sort: articleapp.SortTitleDesc, Limit: 10, Page: n})
			got = append(got, idsOf(page.Items)...)
			if page.Total != 25 || page.Pages != 3 || page.PageNumber != n || page.NextCursor != nil || page.HasMore != (n < 3) {
				t.Fatalf("page %d: total %d pages %d number %d has_more %v cursor %v", n, page.Total, page.Pages, page.PageNumber, page.HasMore, page.NextCursor)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages:\n got %v\nwant %v", got, want)
		}
		empty := s.list(articleapp.ListQuery{TagSlugs: []string{"zig"}, Page: 1})
		if empty.Total != 0 || empty.Pages != 0 || len(empty.Items) != 0 || empty.HasMore {
			t.Fatalf("empty page mode: %+v", empty)
		}
		filtered := s.list(articleapp.ListQuery{AuthorSlug: "bob", Page: 2, Limit: 5})
		if filtered.Total != 12 || filtered.Pages != 3 || len(filtered.Items) != 5 {
			t.Fatalf("filtered page mode: total %d pages %d items %d", filtered.Total, filtered.Pages, len(filtered.Items))
		}
	})
}

func TestReadModelRefusesACursorIdTheDatabaseCannotCompare(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		forged := &listing.Cursor{Order: articleapp.Order(articleapp.VisibilityPublic, articleapp.SortTitleAsc), Text: "x", ID: "legacy"}
		q := articleapp.ListQuery{Cursor: forged, Sort: articleapp.SortTitleAsc, Now: s.now}
		if _, err := s.reads.ListArticles(s.ctx, edge(q)); !errors.Is(err, listing.ErrInvalidCursor) {
			t.Errorf("%v, want invalid_cursor", err)
		}
	})
}

type countedKey struct{}

// countQueries counts the statements GORM runs with a context marked by the returned function.
func countQueries(t *testing.T, db *persistence.DB) (*atomic.Int64, func(context.Context) context.Context) {
	t.Helper()
	var n atomic.Int64
	count := func(tx *gorm.DB) {
		if tx.Statement.Context.Value(countedKey{}) != nil {
			n.Add(1)
		}
	}
	cb := db.Gorm.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().Before("gorm:query").Register("test:count_queries", count),
		"row":    cb.Row().Before("gorm:row").Register("test:count_queries", count),
		"raw":    cb.Raw().Before("gorm:raw").Register("test:count_queries", count),
		"create": cb.Create().Before("gorm:create").Register("test:count_queries", count),
		"update": cb.Update().Before("gorm:update").Register("test:count_queries", count),
		"delete": cb.Delete().Before("gorm:delete").Register("test:count_queries", count),
	} {
		if err != nil {
			t.Fatalf("register %s callback: %v", name, err)
		}
	}
	return &n, func(ctx context.Context) context.Context { return context.WithValue(ctx, countedKey{}, true) }
}

func TestReadModelListTakesAConstantNumberOfQueries(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		var authors []string
		for _, slug := range []string{"a1", "a2", "a3", "a4", "a5"} {
			authors = append(authors, f.user(slug, strings.ToUpper(slug)))
		}
		var tags []*tag.Tag
		for _, name := range []string{"t1", "t2", "t3", "t4"} {
			tags = append(tags, f.tag(name))
		}
		for i := range 100 {
			f.published(authors[i%5], fmt.Sprintf("Article %d", i), "Body", contentT0.Add(time.Duration(i)*time.Minute), tags[i%4], tags[(i+1)%4], tags[(i+2)%4])
		}
		n, mark := countQueries(t, db)
		now := contentT0.Add(24 * time.Hour)
		for _, tt := range []struct {
			name  string
			q     articleapp.ListQuery
			items int
			want  int64
		}{
			{"cursor mode, 100 items", articleapp.ListQuery{Limit: 100, Now: now}, 100, 3},
			{"cursor mode, 10 items", articleapp.ListQuery{Limit: 10, Now: now}, 10, 3},
			{"page mode, 100 items", articleapp.ListQuery{Limit: 100, Page: 1, Now: now}, 100, 4},
			// At an offset the page's ids come first, from the index alone, then only its rows.
			{"page mode at an offset, 50 items", articleapp.ListQuery{Limit: 50, Page: 2, Now: now}, 50, 5},
			// A filter's slugs are resolved to ids first, in one query: an unknown one ends the list there.
			{"admin, tag filter", articleapp.ListQuery{Visibility: articleapp.VisibilityAdmin, TagSlugs: []string{"t1"}, Limit: 100}, 75, 4},
			{"tag filter", articleapp.ListQuery{TagSlugs: []string{"t1"}, Limit: 100, Now: now}, 75, 4},
			{"one tag and author filter", articleapp.ListQuery{TagSlugs: []string{"t1"}, AuthorSlug: "a1", Limit: 100, Now: now}, 15, 4},
			{"tag and author filter", articleapp.ListQuery{TagSlugs: []string{"t1", "t2"}, AuthorSlug: "a1", Limit: 100, Now: now}, 20, 4},
			{"unknown tag", articleapp.ListQuery{TagSlugs: []string{"nope"}, Limit: 100, Now: now}, 0, 1},
			{"unknown author", articleapp.ListQuery{TagSlugs: []string{"t1"}, AuthorSlug: "nope", Limit: 100, Now: now}, 0, 1},
		} {
			n.Store(0)
			page, err := f.reads.ListArticles(mark(f.ctx), edge(tt.q))
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != tt.items || n.Load() != tt.want {
				t.Errorf("%s: %d items in %d queries, want %d in %d", tt.name, len(page.Items), n.Load(), tt.items, tt.want)
			}
			for _, it := range page.Items {
				if len(it.Tags) != 3 || it.Author.Slug == "" {
					t.Fatalf("%s: item without its tags or author: %+v", tt.name, it)
				}
			}
		}
	})
}
