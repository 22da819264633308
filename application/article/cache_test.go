package article_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// since returns the journal entries written after mark.
func (f *fixture) since(mark int) []string { return f.w.journal.Since(mark) }

func (f *fixture) readCount() int {
	f.w.mu.Lock()
	defer f.w.mu.Unlock()
	return f.w.reads
}

func TestTheCacheIsInvalidatedAfterTheCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.published(uEditor, "Cached")
	mark := len(f.w.journal.Entries())
	d, err := f.svc.Update(as(uEditor), d.ID, d.Version, articleapp.UpdateArticle{Title: ptr("Renamed"), Slug: ptr("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	// The edit of a published article saved pending changes: nothing public changed, the cache
	// is left alone.
	if got := f.since(mark); !slices.Equal(got, []string{"commit"}) {
		t.Fatalf("journal of a pending edit: %v, want [commit]", got)
	}
	mark = len(f.w.journal.Entries())
	if _, err := f.svc.Act(as(uEditor), d.ID, d.Version, articleapp.ActionPublishChanges, nil); err != nil {
		t.Fatal(err)
	}
	got := f.since(mark)
	// Creating and publishing bumped each generation twice: the entries live under generation 3 now.
	want := []string{"commit", "incr gen:articles", "incr gen:tags", "incr gen:article", "delete article:3:cached", "delete article:3:renamed"}
	if !slices.Equal(got, want) {
		t.Fatalf("journal of publish-changes:\n got %v\nwant %v", got, want)
	}
}

func TestAFailedTransactionLeavesTheCacheAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.tag("Go")
	d := f.published(uEditor, "Kept")
	f.w.outbox.FailWith(errors.New("outbox down"))
	mark := len(f.w.journal.Entries())
	attempts := map[string]error{}
	_, attempts["update"] = f.svc.Update(as(uEditor), d.ID, d.Version, articleapp.UpdateArticle{Title: ptr("Lost")})
	_, attempts["unpublish"] = f.svc.Act(as(uEditor), d.ID, d.Version, articleapp.ActionUnpublish, nil)
	attempts["trash"] = f.svc.Trash(as(uEditor), d.ID, d.Version)
	_, attempts["create"] = f.svc.Create(as(uEditor), articleapp.CreateArticle{Title: "Never"})
	for name, err := range attempts {
		if err == nil || !strings.Contains(err.Error(), "outbox down") {
			t.Errorf("%s with a failing outbox: %v", name, err)
		}
	}
	for _, entry := range f.since(mark) {
		if entry != "rollback" {
			t.Fatalf("a failed write touched the cache or committed: %v", f.since(mark))
		}
	}
	if got, _ := f.svc.Get(as(uEditor), d.ID); got.Title != "Kept" || got.Version != d.Version || got.Status != article.StatusPublished {
		t.Fatalf("the rolled-back update is visible: %+v", got.ArticleSummary)
	}
	if v, revs := f.stored(d.ID); v != d.Version || revs != 2 {
		t.Fatalf("rolled back, yet version %d with %d revisions", v, revs)
	}
}

func TestPublicReadsGoThroughTheCache(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.tag("Go")
	d := f.published(uAuthor, "Hot", "go")
	ctx := context.Background() // public reads need no principal

	for range 3 {
		if got, err := f.svc.PublishedArticle(ctx, d.Slug); err != nil || got.Title != "Hot" {
			t.Fatalf("published article: %+v, %v", got, err)
		}
	}
	if n := f.readCount(); n != 1 {
		t.Fatalf("three reads of one article loaded it %d times, want once", n)
	}
	// A miss is not cached: a draft becomes visible as soon as it is published.
	draft := f.draft(uAuthor, "Soon")
	if _, err := f.svc.PublishedArticle(ctx, draft.Slug); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("a draft is public: %v", err)
	}
	before := f.readCount()
	if _, err := f.svc.PublishedArticle(ctx, draft.Slug); !errors.Is(err, article.ErrNotFound) || f.readCount() != before+1 {
		t.Fatalf("the miss was cached: %v, %d loads", err, f.readCount()-before)
	}

	// Lists: the same question in another tag order hits the cache; another limit does not.
	q := articleapp.ListQuery{TagSlugs: []string{"go", "rust"}, Limit: 5}
	page, err := f.svc.PublishedArticles(ctx, q)
	if err != nil || len(page.Items) != 1 || page.Items[0].Title != "Hot" {
		t.Fatalf("public list: %+v, %v", page, err)
	}
	if f.reads.lastQuery.Visibility != articleapp.VisibilityPublic || !f.reads.lastQuery.Now.Equal(t0) {
		t.Fatalf("the public list was not forced public at now: %+v", f.reads.lastQuery)
	}
	before = f.readCount()
	if _, err := f.svc.PublishedArticles(ctx, articleapp.ListQuery{TagSlugs: []string{"rust", "go"}, Limit: 5}); err != nil || f.readCount() != before {
		t.Fatalf("the same list in another tag order was loaded again: %v", err)
	}
	if _, err := f.svc.PublishedArticles(ctx, articleapp.ListQuery{TagSlugs: []string{"go"}, Limit: 5}); err != nil || f.readCount() != before+1 {
		t.Fatalf("another list was served from the cache: %v", err)
	}
	if _, err := f.svc.PublishedArticles(ctx, articleapp.ListQuery{Statuses: []article.Status{article.StatusDraft}, Trash: articleapp.TrashOnly, Limit: 5}); err != nil ||
		len(f.reads.lastQuery.Statuses) != 0 || f.reads.lastQuery.Trash != articleapp.TrashExcluded {
		t.Fatalf("a status filter reached the public list: %+v, %v", f.reads.lastQuery, err)
	}

	// Unpublishing drops the article and its lists at once (and the tag counts: see
	// TestTheCacheIsInvalidatedAfterTheCommit and application/tag's integration test).
	if _, err := f.svc.Act(as(uAuthor), d.ID, d.Version, articleapp.ActionUnpublish, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PublishedArticle(ctx, d.Slug); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("unpublished article still served: %v", err)
	}
	if page, err := f.svc.PublishedArticles(ctx, q); err != nil || len(page.Items) != 0 {
		t.Fatalf("unpublished article still listed: %+v, %v", page.Items, err)
	}
}

func TestPageTotalsAreCountedOncePerContentGeneration(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, title := range []string{"One", "Two", "Three"} {
		f.published(uEditor, title)
	}
	counts := func() int {
		f.w.mu.Lock()
		defer f.w.mu.Unlock()
		return f.reads.counts
	}
	q := articleapp.LatestQuery()
	q.Limit = 1
	for page := 1; page <= 3; page++ { // three distinct pages: three list misses, one count
		q.Page = page
		p, err := f.svc.PublishedArticles(context.Background(), q)
		if err != nil || p.Total != 3 || p.Pages != 3 {
			t.Fatalf("page %d: total %d pages %d, %v", page, p.Total, p.Pages, err)
		}
	}
	if n := counts(); n != 1 {
		t.Fatalf("counts after three pages = %d, want 1", n)
	}
	f.published(uEditor, "Four") // a write retires the count with the generation
	q.Page = 2
	if p, err := f.svc.PublishedArticles(context.Background(), q); err != nil || p.Total != 4 || counts() != 2 {
		t.Fatalf("after a write: total %d, counts %d, %v", p.Total, counts(), err)
	}
}
