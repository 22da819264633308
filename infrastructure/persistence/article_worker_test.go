package persistence_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestPurgeTrashedBefore(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		goTag := f.tag("Go")
		trashed := func(title string, at time.Time) *article.Article {
			a := f.newArticle(author, article.Content{Title: title, Body: f.body("purgeable " + title), TagIDs: []string{goTag.ID()}}, contentT0)
			if err := a.Trash(at); err != nil {
				t.Fatal(err)
			}
			return f.add(a)
		}
		old := trashed("Old", contentT0)
		if _, err := f.articles.AddRevision(f.ctx, old.Snapshot(1, author, contentT0)); err != nil {
			t.Fatal(err)
		}
		recent := trashed("Recent", contentT0.Add(48*time.Hour))
		kept := f.add(f.newArticle(author, article.Content{Title: "Kept", Body: f.body("purgeable kept")}, contentT0))

		n, err := f.articles.PurgeTrashedBefore(f.ctx, contentT0.Add(24*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		if _, err := f.articles.Get(f.ctx, old.ID()); !errors.Is(err, article.ErrNotFound) {
			t.Fatalf("purged article: %v", err)
		}
		if revs, err := f.articles.ListRevisions(f.ctx, article.RevisionQuery{ArticleID: old.ID(), Limit: 10}); err != nil || len(revs) != 0 {
			t.Fatalf("revisions of a purged article: %v, %v", revs, err)
		}
		for _, a := range []*article.Article{recent, kept} {
			if _, err := f.articles.Get(f.ctx, a.ID()); err != nil {
				t.Fatalf("%s was purged too: %v", a.Title(), err)
			}
		}
		// The search index forgot it (SQLite keeps it in step with triggers).
		page, err := f.reads.ListArticles(f.ctx, edge(articleapp.ListQuery{Visibility: articleapp.VisibilityAdmin, Trash: articleapp.TrashIncluded, Q: "purgeable"}))
		if err != nil {
			t.Fatal(err)
		}
		if got := titlesOf(page.Items); !slices.Equal(sorted(got), []string{"Kept", "Recent"}) {
			t.Fatalf("search after purge = %v", got)
		}
		// Its slug is free again.
		f.add(f.newArticle(author, article.Content{Title: "Old"}, contentT0))
		if n, err := f.articles.PurgeTrashedBefore(f.ctx, contentT0.Add(24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("second purge: %d, %v", n, err)
		}
	})
}

func TestDueScheduled(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		scheduled := func(title string, at time.Time, trash bool) *article.Article {
			a := f.newArticle(author, article.Content{Title: title}, contentT0)
			if err := a.Schedule(at, contentT0); err != nil {
				t.Fatal(err)
			}
			if trash {
				_ = a.Trash(contentT0)
			}
			return f.add(a)
		}
		second := scheduled("Second", contentT0.Add(2*time.Hour), false)
		first := scheduled("First", contentT0.Add(time.Hour), false)
		scheduled("Later", contentT0.Add(5*time.Hour), false)
		scheduled("Trashed", contentT0.Add(30*time.Minute), true)
		f.add(f.newArticle(author, article.Content{Title: "Draft"}, contentT0))

		now := contentT0.Add(3 * time.Hour)
		due, err := f.articles.DueScheduled(f.ctx, now, 10)
		if err != nil || !slices.Equal(due, []string{first.ID(), second.ID()}) {
			t.Fatalf("due = %v, %v; want [First Second]", due, err)
		}
		if due, _ := f.articles.DueScheduled(f.ctx, now, 1); !slices.Equal(due, []string{first.ID()}) {
			t.Fatalf("limit 1: %v", due)
		}
		if due, _ := f.articles.DueScheduled(f.ctx, first.ScheduledAt().Add(-time.Microsecond), 10); len(due) != 0 {
			t.Fatalf("nothing is due before the first time: %v", due)
		}
		if due, _ := f.articles.DueScheduled(f.ctx, *first.ScheduledAt(), 10); !slices.Equal(due, []string{first.ID()}) {
			t.Fatalf("due exactly at its time: %v", due)
		}
		if db.Dialect != config.DialectPostgres {
			return // one writer at a time: a second worker waits for the first transaction instead
		}
		// A worker holding the first row in its transaction makes another worker skip it.
		locked, release := make(chan struct{}), make(chan struct{})
		done := make(chan error)
		go func() {
			done <- f.tx.Do(f.ctx, func(ctx context.Context) error {
				ids, err := f.articles.DueScheduled(ctx, now, 1)
				if err != nil || !slices.Equal(ids, []string{first.ID()}) {
					return errors.Join(err, errors.New("first worker did not get First"))
				}
				close(locked)
				<-release
				return nil
			})
		}()
		<-locked
		// Without SKIP LOCKED this would wait for the first worker; the timeout turns that into a failure.
		waitCtx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
		defer cancel()
		other, err := f.articles.DueScheduled(waitCtx, now, 10)
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err != nil || !slices.Equal(other, []string{second.ID()}) {
			t.Fatalf("second worker got %v, %v; want only Second", other, err)
		}
	})
}

func titlesOf(items []articleapp.ArticleSummary) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
