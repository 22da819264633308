package persistence_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestArticleRepositoryContract(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		ctx, repo := f.ctx, f.articles
		author := f.user("ann", "Ann")
		goTag, web := f.tag("Go"), f.tag("Web")
		a := f.add(f.newArticle(author, article.Content{
			Title: "Hello, World", BodyMarkdown: "# Hi\n\nSome **bold** text and <script>alert(1)</script>.",
			CoverImageURL: "https://example.com/c.png", MetaTitle: "Meta", MetaDescription: "Described",
			TagIDs: []string{web.ID(), goTag.ID()},
		}, contentT0))

		got, err := repo.Get(ctx, a.ID())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stateOf(got), stateOf(a)) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", stateOf(got), stateOf(a))
		}
		if got.BodyText() == "" || got.Excerpt() == "" || !got.ExcerptIsDerived() || got.ReadingTimeMinutes() != 1 {
			t.Fatalf("derived fields lost: %+v", stateOf(got))
		}
		for name, id := range map[string]string{"unknown": f.newID(), "malformed": "nope"} {
			if _, err := repo.Get(ctx, id); !errors.Is(err, article.ErrNotFound) {
				t.Fatalf("%s id: %v", name, err)
			}
		}

		// A change of content, tags and status, saved against the stored version.
		t1 := contentT0.Add(time.Hour)
		if _, err := got.Edit(article.Changes{Title: ptrTo("Hello again"), TagIDs: &[]string{goTag.ID()}}, f.renderer, t1); err != nil {
			t.Fatal(err)
		}
		if err := got.Publish(t1); err != nil {
			t.Fatal(err)
		}
		if err := f.save(got, 1); err != nil {
			t.Fatalf("save: %v", err)
		}
		saved, _ := repo.Get(ctx, a.ID())
		if !reflect.DeepEqual(stateOf(saved), stateOf(got)) || saved.Version() != 3 {
			t.Fatalf("after save:\n got %+v\nwant %+v", stateOf(saved), stateOf(got))
		}

		// The stored version moved on: the first reader's copy is stale.
		_, _ = a.Edit(article.Changes{Title: ptrTo("Lost update")}, f.renderer, t1)
		err = f.save(a, 1)
		if !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(3) {
			t.Fatalf("stale save: %v (current_version %v)", err, currentVersionOf(err))
		}
		if err := f.save(f.newArticle(author, article.Content{Title: "Never stored"}, t1), 1); !errors.Is(err, article.ErrNotFound) {
			t.Fatalf("save of an unknown article: %v", err)
		}

		// Slugs are unique among articles, on insert and on update.
		dup := f.newArticle(author, article.Content{Title: "Other", Slug: "hello-world"}, t1)
		if code, kind, fields := errorParts(f.tx.Do(ctx, func(ctx context.Context) error { return repo.Add(ctx, dup) })); code != "slug_taken" || kind != shared.KindConflict || !slices.Equal(fields, []string{"slug"}) {
			t.Fatalf("add with a taken slug: %s %d %v", code, kind, fields)
		}
		other := f.add(f.newArticle(author, article.Content{Title: "Other"}, t1))
		_, _ = other.Edit(article.Changes{Slug: ptrTo("hello-world")}, f.renderer, t1)
		if code, _, _ := errorParts(f.save(other, 1)); code != "slug_taken" {
			t.Fatalf("save with a taken slug: %s", code)
		}

		// A tag that does not exist (deleted meanwhile) is refused and nothing is written.
		ghost := f.newArticle(author, article.Content{Title: "Ghost tags", TagIDs: []string{f.newID()}}, t1)
		if code, kind, fields := errorParts(f.tx.Do(ctx, func(ctx context.Context) error { return repo.Add(ctx, ghost) })); code != "validation_failed" || kind != shared.KindInvalid || !slices.Equal(fields, []string{"tags"}) {
			t.Fatalf("unknown tag: %s %d %v", code, kind, fields)
		}
		if _, err := repo.Get(ctx, ghost.ID()); !errors.Is(err, article.ErrNotFound) {
			t.Fatalf("the rolled-back article is visible: %v", err)
		}

		// Trashed articles are still found by Get.
		if err := saved.Trash(t1.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := f.save(saved, 3); err != nil {
			t.Fatal(err)
		}
		trashed, err := repo.Get(ctx, a.ID())
		if err != nil || !trashed.IsTrashed() || !trashed.TrashedAt().Equal(t1.Add(time.Hour)) {
			t.Fatalf("trashed article: %v, %v", trashed, err)
		}
	})
}

func TestConcurrentArticleSavesExactlyOneWins(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann", "Ann")
		tags := []string{f.tag("Go").ID(), f.tag("Web").ID()}
		stored := stateOf(f.add(f.newArticle(author, article.Content{Title: "Contested", TagIDs: tags}, contentT0)))

		const writers = 20
		var (
			wg        sync.WaitGroup
			start     = make(chan struct{})
			mu        sync.Mutex
			winners   []string
			conflicts int
			others    []error
		)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := article.Rehydrate(stored)
				title := fmt.Sprintf("Title by writer %d", i)
				newTags := []string{tags[i%2]}
				if _, err := a.Edit(article.Changes{Title: &title, TagIDs: &newTags}, f.renderer, contentT0.Add(time.Minute)); err != nil {
					t.Error(err)
					return
				}
				<-start
				err := f.save(a, stored.Version)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					winners = append(winners, title)
				case errors.Is(err, shared.ErrVersionConflict):
					conflicts++
				default:
					others = append(others, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(winners) != 1 || conflicts != writers-1 || len(others) != 0 {
			t.Fatalf("winners %v, conflicts %d, other errors %v", winners, conflicts, others)
		}
		got, err := f.articles.Get(f.ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title() != winners[0] || got.Version() != stored.Version+1 || len(got.TagIDs()) != 1 {
			t.Fatalf("stored %q v%d tags %v; the winner was %q", got.Title(), got.Version(), got.TagIDs(), winners[0])
		}
	})
}

func TestArticleRevisions(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		ctx, repo := f.ctx, f.articles
		author := f.user("ann", "Ann")
		goTag := f.tag("Go")
		a := f.add(f.newArticle(author, article.Content{Title: "First", BodyMarkdown: "one", TagIDs: []string{goTag.ID()}}, contentT0))
		other := f.add(f.newArticle(author, article.Content{Title: "Other"}, contentT0))

		// The repository numbers revisions as it stores them: the number a snapshot carries is not read.
		rev1 := a.Snapshot(7, author, contentT0)
		_, _ = a.Edit(article.Changes{Title: ptrTo("Second"), Excerpt: ptrTo("Hand-written"), TagIDs: &[]string{}}, f.renderer, contentT0.Add(time.Hour))
		rev2 := a.Snapshot(0, "", contentT0.Add(time.Hour)) // no editor: the scheduler's change
		for i, rev := range []*article.Revision{&rev1, &rev2} {
			n, err := repo.AddRevision(ctx, *rev)
			if err != nil || n != i+1 {
				t.Fatalf("add revision %d: number %d, %v", i+1, n, err)
			}
			rev.Number = n
		}
		third := f.add(f.newArticle(author, article.Content{Title: "Third"}, contentT0))
		if n, err := repo.AddRevision(ctx, third.Snapshot(0, author, contentT0)); err != nil || n != 1 {
			t.Fatalf("numbers are per article: got %d, %v for another article", n, err)
		}

		list, err := repo.ListRevisions(ctx, article.RevisionQuery{ArticleID: a.ID(), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(list, []article.Revision{rev2, rev1}) {
			t.Fatalf("revisions, newest first:\n got %+v\nwant %+v", list, []article.Revision{rev2, rev1})
		}
		if page, err := repo.ListRevisions(ctx, article.RevisionQuery{ArticleID: a.ID(), Limit: 1}); err != nil || !reflect.DeepEqual(page, []article.Revision{rev2}) {
			t.Fatalf("first page of one: %+v, %v", page, err)
		}
		if page, err := repo.ListRevisions(ctx, article.RevisionQuery{ArticleID: a.ID(), Before: 2, Limit: 5}); err != nil || !reflect.DeepEqual(page, []article.Revision{rev1}) {
			t.Fatalf("the page before revision 2: %+v, %v", page, err)
		}
		got, err := repo.GetRevision(ctx, a.ID(), 1)
		if err != nil || !reflect.DeepEqual(got, rev1) {
			t.Fatalf("revision 1 = %+v, %v", got, err)
		}
		for name, get := range map[string]func() error{
			"unknown number":    func() error { _, err := repo.GetRevision(ctx, a.ID(), 9); return err },
			"another article":   func() error { _, err := repo.GetRevision(ctx, other.ID(), 1); return err },
			"malformed article": func() error { _, err := repo.GetRevision(ctx, "x", 1); return err },
		} {
			if err := get(); !errors.Is(err, article.ErrRevisionNotFound) {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if list, err := repo.ListRevisions(ctx, article.RevisionQuery{ArticleID: other.ID(), Limit: 10}); err != nil || len(list) != 0 {
			t.Fatalf("revisions of an article without any: %v, %v", list, err)
		}
	})
}
