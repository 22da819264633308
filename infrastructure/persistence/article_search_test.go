package persistence_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestReadModelSearch(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		goTag := f.tag("Go")
		at := func(h int) time.Time { return contentT0.Add(time.Duration(h) * time.Hour) }
		gophers := f.published(author, "Gophers love channels", "Concurrency in practice.", at(1), goTag)
		body := f.published(author, "A quiet article", "It mentions a zeppelin, only in the body.", at(2))
		channels := f.published(author, "Channels without gophers?", "No: just pipes and channels.", at(3))
		excerpt := f.newArticle(author, article.Content{Title: "Excerpted", Excerpt: "An aardvark in the excerpt", Body: f.body("Plain body.")}, at(3))
		_ = excerpt.Publish(at(4))
		f.add(excerpt)
		quasarTitle := f.published(author, "Quasar", "Something else entirely.", at(5))
		quasarBody := f.published(author, "Far away", "A quasar seen in a long body of text about the sky.", at(6))
		draft := f.newArticle(author, article.Content{Title: "Draft about gophers", Body: f.body("zeppelin aardvark")}, at(1))
		f.add(draft)
		now := at(10)

		search := func(q articleapp.ListQuery) articleapp.Page {
			t.Helper()
			q.Now = now
			page, err := f.reads.ListArticles(f.ctx, edge(q))
			if err != nil {
				t.Fatalf("search %q: %v", q.Q, err)
			}
			return page
		}
		ids := func(arts ...*article.Article) []string { return sorted(articleIDs(arts, nil)) }
		for q, want := range map[string][]string{
			"gophers":              ids(gophers, channels),
			"GOPHERS":              ids(gophers, channels),
			"zeppelin":             ids(body),
			"aardvark":             ids(excerpt),
			"gophers love":         ids(gophers),
			`"love channels"`:      ids(gophers),
			`"channels love"`:      nil,
			"channels -gophers":    nil,
			"pipes -gophers":       nil,
			"channels -love":       ids(channels),
			"zeppelin or aardvark": ids(body, excerpt),
			"nothing-matches-this": nil,
		} {
			if got := sorted(idsOf(search(articleapp.ListQuery{Q: q, Limit: 100}).Items)); !slices.Equal(got, want) {
				t.Errorf("q=%q: got %v, want %v", q, got, want)
			}
		}

		// Relevance: a title match outranks a body match.
		if got := idsOf(search(articleapp.ListQuery{Q: "quasar"}).Items); !slices.Equal(got, []string{quasarTitle.ID(), quasarBody.ID()}) {
			t.Errorf("relevance order: got %v, want title match first", got)
		}
		// Relevance pages by page number; an explicit sort pages by cursor.
		first := search(articleapp.ListQuery{Q: "gophers", Limit: 1})
		second := search(articleapp.ListQuery{Q: "gophers", Limit: 1, Page: 2})
		if !first.HasMore || first.NextCursor != nil || second.Total != 2 || len(second.Items) != 1 || second.Items[0].ID == first.Items[0].ID {
			t.Errorf("relevance paging: first %+v, second %+v", first, second)
		}
		byTitle := search(articleapp.ListQuery{Q: "gophers", Sort: articleapp.SortTitleAsc, Limit: 1})
		if byTitle.NextCursor == nil || byTitle.Items[0].ID != channels.ID() {
			t.Fatalf("sorted search, first page: %+v", byTitle)
		}
		next := search(articleapp.ListQuery{Q: "gophers", Sort: articleapp.SortTitleAsc, Limit: 1, Cursor: byTitle.NextCursor})
		if len(next.Items) != 1 || next.Items[0].ID != gophers.ID() || next.HasMore {
			t.Fatalf("sorted search, second page: %+v", next)
		}
		// Filters combine with the search.
		if got := idsOf(search(articleapp.ListQuery{Q: "gophers", TagSlugs: []string{"go"}}).Items); !slices.Equal(got, []string{gophers.ID()}) {
			t.Errorf("search with tag: %v", got)
		}
		// An admin search finds the draft; edits reach the index.
		admin := articleapp.ListQuery{Visibility: articleapp.VisibilityAdmin, Q: "zeppelin"}
		if got := sorted(idsOf(search(admin).Items)); !slices.Equal(got, ids(body, draft)) {
			t.Errorf("admin search: %v", got)
		}
		before := body.Version()
		_, _ = body.Edit(article.Changes{Body: ptrTo(f.body("Now about a blimp."))}, at(7))
		if body.HasPendingChanges() { // a live article's edit is staged until its changes are published
			if err := body.PublishChanges(at(7)); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.save(body, before); err != nil {
			t.Fatal(err)
		}
		if got := idsOf(search(articleapp.ListQuery{Q: "zeppelin"}).Items); len(got) != 0 {
			t.Errorf("the old body is still found: %v", got)
		}
		if got := idsOf(search(articleapp.ListQuery{Q: "blimp"}).Items); !slices.Equal(got, []string{body.ID()}) {
			t.Errorf("the new body is not found: %v", got)
		}
	})
}

// TestReadModelSearchRelevance pins the relevance order: title matches (the shortest title first,
// so an exact title match leads), then excerpt matches, then body-only matches, each newest first;
// the order is the same on the first page and in page mode, and an explicit sort still wins.
func TestReadModelSearchRelevance(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		at := func(h int) time.Time { return contentT0.Add(time.Duration(h) * time.Hour) }
		filler := strings.Repeat("Nothing to see in this sentence at all. ", 10)
		exact := f.published(author, "Nebula", "An old piece.", at(1))
		var newer []*article.Article
		for i := range 6 {
			newer = append(newer, f.published(author, fmt.Sprintf("Some story %d", i), filler+"A nebula, late in the body.", at(10+i)))
		}
		excerpt := f.published(author, "Skywatching", "A nebula in the excerpt.", at(20))
		longTitle := f.published(author, "The nebula seen from a very long way off", "Body.", at(21))
		title := f.published(author, "Nebula at dawn", "Body.", at(22))
		draft := f.newArticle(author, article.Content{Title: "Nebula", Slug: "nebula-draft", Body: f.body("A draft.")}, at(23))
		f.add(draft)
		now := at(30)

		want := []string{exact.ID(), title.ID(), longTitle.ID(), excerpt.ID()}
		for i := len(newer) - 1; i >= 0; i-- {
			want = append(want, newer[i].ID())
		}
		list := func(q articleapp.ListQuery) articleapp.Page {
			t.Helper()
			q.Now = now
			page, err := f.reads.ListArticles(f.ctx, edge(q))
			if err != nil {
				t.Fatal(err)
			}
			return page
		}
		if got := idsOf(list(articleapp.ListQuery{Q: "nebula", Limit: 100}).Items); !slices.Equal(got, want) {
			t.Errorf("relevance order:\n got %v\nwant %v", got, want)
		}
		first := list(articleapp.ListQuery{Q: "nebula", Limit: 3})
		if got := idsOf(first.Items); !first.HasMore || !slices.Equal(got, want[:3]) {
			t.Errorf("first page: %v (has_more %v), want %v", got, first.HasMore, want[:3])
		}
		var paged []string
		for p := 1; p <= 4; p++ {
			page := list(articleapp.ListQuery{Q: "nebula", Limit: 3, Page: p})
			if page.Total != len(want) {
				t.Errorf("page %d: total %d, want %d", p, page.Total, len(want))
			}
			paged = append(paged, idsOf(page.Items)...)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("page mode:\n got %v\nwant %v", paged, want)
		}
		// A filter applies before the bound, so it never empties the candidates.
		if got := idsOf(list(articleapp.ListQuery{Q: "nebula", AuthorSlug: "ann", Limit: 2}).Items); !slices.Equal(got, want[:2]) {
			t.Errorf("with author: %v, want %v", got, want[:2])
		}
		// A negated word is tested against the whole text, the body included.
		if got := idsOf(list(articleapp.ListQuery{Q: "nebula -late", Limit: 100}).Items); !slices.Equal(got, want[:4]) {
			t.Errorf("negated: %v, want %v", got, want[:4])
		}
		byTitle := idsOf(list(articleapp.ListQuery{Q: "nebula", Sort: articleapp.SortTitleAsc, Limit: 2}).Items)
		if !slices.Equal(byTitle, []string{exact.ID(), title.ID()}) {
			t.Errorf("sort=title: %v", byTitle)
		}
		newest := idsOf(list(articleapp.ListQuery{Q: "nebula", Sort: articleapp.SortPublishedDesc, Limit: 2}).Items)
		if !slices.Equal(newest, []string{title.ID(), longTitle.ID()}) {
			t.Errorf("sort=-published_at: %v", newest)
		}
		// The admin search ranks drafts too; the draft's title is the exact one and newest.
		admin := idsOf(list(articleapp.ListQuery{Q: "nebula", Visibility: articleapp.VisibilityAdmin, Limit: 2}).Items)
		if !slices.Equal(admin, []string{draft.ID(), exact.ID()}) {
			t.Errorf("admin: %v", admin)
		}
	})
}

func TestReadModelSearchSurvivesAnyQueryText(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		f.published(author, "Operators AND quotes", `A body with "quotes", NEAR and OR words: title:colon.`, contentT0)
		hostile := []string{
			`"`, `""`, `"""`, `"unclosed phrase`, `a AND OR NOT b`, `AND`, `OR`, `NOT`, `or`, `-or`, `NEAR(a b, 2)`,
			`*`, `a*`, `^a`, `title:operators`, `{title}: a`, `(`, `)`, `((a)`, `-`, `--`, `- -a`, `a - b`, `'`, `\`,
			`a + b`, `\\'`, `E'x\\'`, `!!!`, `@@ to_tsquery`, `a & b | !c`, `<->`, `a:*`, `?`, `% _`, `;DROP TABLE articles;--`,
			"é", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u0301", "e\u0301", "日本語のテキスト", "\t\n", `"quotes" OR "operators"`, `-"quotes"`,
		}
		for _, q := range hostile {
			for _, query := range []articleapp.ListQuery{
				{Q: q, Now: contentT0},
				{Q: q, Now: contentT0, Page: 1},
				{Q: q, Now: contentT0, Sort: articleapp.SortTitleAsc},
				{Q: q, Visibility: articleapp.VisibilityAdmin, Sort: articleapp.SortPublishedAsc},
			} {
				if _, err := f.reads.ListArticles(f.ctx, edge(query)); err != nil {
					t.Errorf("q=%q sort=%q page=%d: %v", q, query.Sort, query.Page, err)
				}
			}
		}
		// Operator words are words, except "or", which splits alternatives on both engines: the
		// first alternative of `a AND OR NOT b` is "a and", which the body holds.
		for q, want := range map[string]int{
			`"quotes" OR "operators"`: 1, `title:colon`: 1, `NEAR`: 1, `a AND OR NOT b`: 1, `"NEAR operators"`: 0, `zzz OR`: 0,
		} {
			page, err := f.reads.ListArticles(f.ctx, edge(articleapp.ListQuery{Q: q, Now: contentT0}))
			if err != nil || len(page.Items) != want {
				t.Errorf("q=%q: %d results, %v; want %d", q, len(page.Items), err, want)
			}
		}
	})
}
