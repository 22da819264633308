package persistence_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/inkwell-cms/inkwell/application/listing"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestTagReadModel(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		reads := persistence.NewTagReadModel(db)
		zig := s.tag("zig")
		count := func(tg *tag.Tag) int {
			return len(articleIDs(s.public, func(a *article.Article) bool { return slices.Contains(a.TagIDs(), tg.ID()) }))
		}
		tags, err := reads.List(s.ctx, tagapp.ListQuery{Now: s.now, Limit: listing.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tv := range tags {
			got = append(got, fmt.Sprintf("%s:%d", tv.Slug, tv.ArticleCount))
		}
		want := []string{fmt.Sprintf("go:%d", count(s.goTag)), fmt.Sprintf("rust:%d", count(s.rust)), fmt.Sprintf("web:%d", count(s.web)), "zig:0"}
		if !slices.Equal(got, want) {
			t.Fatalf("tags = %v, want %v (hidden articles tagged go must not count)", got, want)
		}
		for name, get := range map[string]func() (tagapp.TagView, error){
			"by slug": func() (tagapp.TagView, error) { return reads.GetBySlug(s.ctx, "rust", s.now) },
			"by id":   func() (tagapp.TagView, error) { return reads.Get(s.ctx, s.rust.ID(), s.now) },
		} {
			tv, err := get()
			if err != nil || tv.ID != s.rust.ID() || tv.Name != "Rust" || tv.Description != "about Rust" || tv.ArticleCount != count(s.rust) ||
				tv.Version != 1 || !tv.CreatedAt.Equal(contentT0) {
				t.Fatalf("%s: %+v, %v", name, tv, err)
			}
		}
		if tv, _ := reads.Get(s.ctx, zig.ID(), s.now); tv.ArticleCount != 0 {
			t.Fatalf("zig count = %d", tv.ArticleCount)
		}
		for name, get := range map[string]func() error{
			"unknown slug":   func() error { _, err := reads.GetBySlug(s.ctx, "nope", s.now); return err },
			"malformed slug": func() error { _, err := reads.GetBySlug(s.ctx, "\x00", s.now); return err },
			"unknown id":     func() error { _, err := reads.Get(s.ctx, s.newID(), s.now); return err },
			"malformed id":   func() error { _, err := reads.Get(s.ctx, "x", s.now); return err },
		} {
			if err := get(); !errors.Is(err, tag.ErrNotFound) {
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
}

// TestTagReadModelPages walks the tag list two at a time by keyset cursor: by name ignoring case,
// in code-point order on both databases (so "Äpfel" comes after "zig"), each tag exactly once.
func TestTagReadModelPages(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		for _, name := range []string{"zig", "Web", "Äpfel", "go", "Rust"} {
			f.tag(name)
		}
		reads := persistence.NewTagReadModel(db)
		var names []string
		r := listing.Request{Limit: 2}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatalf("more than 3 pages of 5 tags: %v", names)
			}
			tags, err := reads.List(f.ctx, tagapp.ListQuery{Now: contentT0, Limit: r.Fetch(), After: r.After})
			if err != nil {
				t.Fatal(err)
			}
			page := listing.Cut(tags, r, tagapp.CursorAfter(tagapp.AdminOrder))
			for _, tv := range page.Items {
				names = append(names, tv.Name)
			}
			if !page.HasMore {
				break
			}
			// The cursor goes out and comes back as the API hands it over.
			if r.After, err = listing.DecodeCursor(page.NextCursor.Encode(), tagapp.AdminOrder); err != nil {
				t.Fatal(err)
			}
		}
		if want := []string{"go", "Rust", "Web", "zig", "Äpfel"}; !slices.Equal(names, want) {
			t.Fatalf("paged tags %v, want %v", names, want)
		}
		forged := &listing.Cursor{Order: tagapp.AdminOrder, Text: "go", ID: "not-a-uuid"}
		if _, err := reads.List(f.ctx, tagapp.ListQuery{Now: contentT0, Limit: 3, After: forged}); !errors.Is(err, listing.ErrInvalidCursor) {
			t.Fatalf("a forged cursor id: %v", err)
		}
	})
}
