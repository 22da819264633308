package contract

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
)

func articleRevisions(t *testing.T, f *articleFixture) {
	repo := f.h.Articles
	author := f.h.NewAuthor(t)
	goTag := f.tag("Go")
	a := f.add(f.newArticle(author, article.Content{Title: "First", Body: body("one"), TagIDs: []string{goTag.ID()}}, t0))
	other := f.add(f.newArticle(author, article.Content{Title: "Other"}, t0))

	// The repository numbers revisions as it stores them: the number a snapshot carries is not read.
	rev1 := a.Snapshot(7, author, t0)
	_, _ = a.Edit(article.Changes{Title: ptr("Second"), Excerpt: ptr("Hand-written"), TagIDs: &[]string{}}, t0.Add(time.Hour))
	rev2 := a.Snapshot(0, "", t0.Add(time.Hour)) // no editor: the scheduler's change
	for i, rev := range []*article.Revision{&rev1, &rev2} {
		n, err := repo.AddRevision(f.ctx, *rev)
		if err != nil || n != i+1 {
			t.Fatalf("add revision %d: number %d, %v", i+1, n, err)
		}
		rev.Number = n
	}
	third := f.add(f.newArticle(author, article.Content{Title: "Third"}, t0))
	if n, err := repo.AddRevision(f.ctx, third.Snapshot(0, author, t0)); err != nil || n != 1 {
		t.Fatalf("numbers are per article: got %d, %v for another article", n, err)
	}

	list, err := repo.ListRevisions(f.ctx, article.RevisionQuery{ArticleID: a.ID(), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if want := []article.Revision{rev2, rev1}; !reflect.DeepEqual(list, want) {
		t.Fatalf("revisions, newest first:\n got %+v\nwant %+v", list, want)
	}
	for name, q := range map[string]struct {
		q    article.RevisionQuery
		want []article.Revision
	}{
		"first page of one":          {article.RevisionQuery{ArticleID: a.ID(), Limit: 1}, []article.Revision{rev2}},
		"the page before revision 2": {article.RevisionQuery{ArticleID: a.ID(), Before: 2, Limit: 5}, []article.Revision{rev1}},
		"before beyond the newest":   {article.RevisionQuery{ArticleID: a.ID(), Before: 9, Limit: 5}, []article.Revision{rev2, rev1}},
	} {
		if page, err := repo.ListRevisions(f.ctx, q.q); err != nil || !reflect.DeepEqual(page, q.want) {
			t.Fatalf("%s: %+v, %v", name, page, err)
		}
	}
	if got, err := repo.GetRevision(f.ctx, a.ID(), 1); err != nil || !reflect.DeepEqual(got, rev1) {
		t.Fatalf("revision 1 = %+v, %v", got, err)
	}
	for name, get := range map[string]func() error{
		"unknown number":    func() error { _, err := repo.GetRevision(f.ctx, a.ID(), 9); return err },
		"another article":   func() error { _, err := repo.GetRevision(f.ctx, other.ID(), 1); return err },
		"malformed article": func() error { _, err := repo.GetRevision(f.ctx, "x", 1); return err },
	} {
		if err := get(); !errors.Is(err, article.ErrRevisionNotFound) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for name, q := range map[string]article.RevisionQuery{
		"an article without any": {ArticleID: other.ID(), Limit: 10},
		"before the first":       {ArticleID: a.ID(), Before: 1, Limit: 10},
		"a malformed article id": {ArticleID: "x", Limit: 10},
	} {
		if list, err := repo.ListRevisions(f.ctx, q); err != nil || len(list) != 0 {
			t.Fatalf("revisions of %s: %v, %v", name, list, err)
		}
	}
}

func articlePurge(t *testing.T, f *articleFixture) {
	repo := f.h.Articles
	author := f.h.NewAuthor(t)
	goTag := f.tag("Go")
	trashed := func(title string, at time.Time) *article.Article {
		a := f.newArticle(author, article.Content{Title: title, TagIDs: []string{goTag.ID()}}, t0)
		if err := a.Trash(at); err != nil {
			t.Fatal(err)
		}
		return f.add(a)
	}
	old := trashed("Old", t0)
	if _, err := repo.AddRevision(f.ctx, old.Snapshot(1, author, t0)); err != nil {
		t.Fatal(err)
	}
	recent := trashed("Recent", t0.Add(48*time.Hour))
	kept := f.add(f.newArticle(author, article.Content{Title: "Kept"}, t0))

	if n, err := repo.PurgeTrashedBefore(f.ctx, t0.Add(24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if _, err := repo.Get(f.ctx, old.ID()); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("purged article: %v", err)
	}
	if revs, err := repo.ListRevisions(f.ctx, article.RevisionQuery{ArticleID: old.ID(), Limit: 10}); err != nil || len(revs) != 0 {
		t.Fatalf("revisions of a purged article: %v, %v", revs, err)
	}
	for _, a := range []*article.Article{recent, kept} {
		f.get(a.ID())
	}
	// Its slug is free again, and its revision numbers start over.
	again := f.add(f.newArticle(author, article.Content{Title: "Old"}, t0))
	if n, err := repo.AddRevision(f.ctx, again.Snapshot(0, author, t0)); err != nil || n != 1 {
		t.Fatalf("first revision of a new article = %d, %v", n, err)
	}
	if n, err := repo.PurgeTrashedBefore(f.ctx, t0.Add(24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("second purge: %d, %v", n, err)
	}
}

func articleDueScheduled(t *testing.T, f *articleFixture) {
	repo := f.h.Articles
	author := f.h.NewAuthor(t)
	scheduled := func(title string, at time.Time, trash bool) *article.Article {
		a := f.newArticle(author, article.Content{Title: title}, t0)
		if err := a.Schedule(at, t0); err != nil {
			t.Fatal(err)
		}
		if trash {
			_ = a.Trash(t0)
		}
		return f.add(a)
	}
	second := scheduled("Second", t0.Add(2*time.Hour), false)
	first := scheduled("First", t0.Add(time.Hour), false)
	scheduled("Later", t0.Add(5*time.Hour), false)
	scheduled("Trashed", t0.Add(30*time.Minute), true)
	f.add(f.newArticle(author, article.Content{Title: "Draft"}, t0))

	now := t0.Add(3 * time.Hour)
	if due, err := repo.DueScheduled(f.ctx, now, 10); err != nil || !slices.Equal(due, []string{first.ID(), second.ID()}) {
		t.Fatalf("due = %v, %v; want [First Second]", due, err)
	}
	if due, _ := repo.DueScheduled(f.ctx, now, 1); !slices.Equal(due, []string{first.ID()}) {
		t.Fatalf("limit 1: %v", due)
	}
	if due, _ := repo.DueScheduled(f.ctx, first.ScheduledAt().Add(-time.Microsecond), 10); len(due) != 0 {
		t.Fatalf("nothing is due before the first time: %v", due)
	}
	if due, _ := repo.DueScheduled(f.ctx, *first.ScheduledAt(), 10); !slices.Equal(due, []string{first.ID()}) {
		t.Fatalf("due exactly at its time: %v", due)
	}
}
