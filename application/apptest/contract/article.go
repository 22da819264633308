package contract

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// ArticleHarness is a fresh store with the article repository under test and the tag repository it
// refers to.
type ArticleHarness struct {
	Tx       application.TxManager
	Articles article.Repository
	Tags     tag.Repository
	// NewAuthor stores a user who may write articles and returns their id.
	NewAuthor func(t *testing.T) string
}

// ArticleRepository is the contract of article.Repository.
func ArticleRepository(t *testing.T, open func(t *testing.T) ArticleHarness) {
	for name, test := range map[string]func(t *testing.T, f *articleFixture){
		"round trip, save and conflicts":              articleRoundTrip,
		"version conflict names the current version":  articleConflictDetail,
		"concurrent saves: exactly one wins":          articleConcurrentSaves,
		"revisions":                                   articleRevisions,
		"purge trashed before":                        articlePurge,
		"due scheduled":                               articleDueScheduled,
		"deleting a tag removes it from its articles": articleTagDeleted,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, &articleFixture{t: t, h: open(t), ctx: context.Background()})
		})
	}
}

type articleFixture struct {
	t   *testing.T
	h   ArticleHarness
	ctx context.Context
}

func (f *articleFixture) tag(name string) *tag.Tag {
	f.t.Helper()
	tg, err := tag.New(newID(), name, "", "about "+name, t0)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.h.Tags.Add(f.ctx, tg); err != nil {
		f.t.Fatalf("add tag %s: %v", name, err)
	}
	return tg
}

// newArticle validates and renders an article without storing it.
func (f *articleFixture) newArticle(authorID string, c article.Content, at time.Time) *article.Article {
	f.t.Helper()
	a, err := article.New(newID(), authorID, c, at)
	if err != nil {
		f.t.Fatalf("new article %q: %v", c.Title, err)
	}
	return a
}

func (f *articleFixture) inTx(fn func(ctx context.Context) error) error { return f.h.Tx.Do(f.ctx, fn) }

// add stores a in a transaction, as the application does.
func (f *articleFixture) add(a *article.Article) *article.Article {
	f.t.Helper()
	if err := f.inTx(func(ctx context.Context) error { return f.h.Articles.Add(ctx, a) }); err != nil {
		f.t.Fatalf("add article %q: %v", a.Title(), err)
	}
	return a
}

func (f *articleFixture) save(a *article.Article, expected shared.Version) error {
	return f.inTx(func(ctx context.Context) error { return f.h.Articles.Save(ctx, a, expected) })
}

func (f *articleFixture) get(id string) *article.Article {
	f.t.Helper()
	a, err := f.h.Articles.Get(f.ctx, id)
	if err != nil {
		f.t.Fatalf("get article %s: %v", id, err)
	}
	return a
}

func articleRoundTrip(t *testing.T, f *articleFixture) {
	author := f.h.NewAuthor(t)
	goTag, web := f.tag("Go"), f.tag("Web")
	a := f.add(f.newArticle(author, article.Content{
		Title: "Hello, World", Body: body("# Hi\n\nSome **bold** text."), CoverImageURL: "https://example.com/c.png",
		MetaTitle: "Meta", MetaDescription: "Described", TagIDs: []string{web.ID(), goTag.ID()},
	}, t0))

	got := f.get(a.ID())
	if !reflect.DeepEqual(got.State(), a.State()) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got.State(), a.State())
	}
	for name, id := range map[string]string{"unknown": newID(), "malformed": "nope"} {
		if _, err := f.h.Articles.Get(f.ctx, id); !errors.Is(err, article.ErrNotFound) {
			t.Fatalf("%s id: %v", name, err)
		}
	}

	// A change of content, tags and status, saved against the stored version.
	t1 := t0.Add(time.Hour)
	if _, err := got.Edit(article.Changes{Title: ptr("Hello again"), TagIDs: &[]string{goTag.ID()}}, t1); err != nil {
		t.Fatal(err)
	}
	if err := got.Publish(t1); err != nil {
		t.Fatal(err)
	}
	if err := f.save(got, 1); err != nil {
		t.Fatalf("save: %v", err)
	}
	if saved := f.get(a.ID()); !reflect.DeepEqual(saved.State(), got.State()) || saved.Version() != 3 {
		t.Fatalf("after save:\n got %+v\nwant %+v", saved.State(), got.State())
	}

	// The stored version moved on: the first reader's copy is stale.
	_, _ = a.Edit(article.Changes{Title: ptr("Lost update")}, t1)
	err := f.save(a, 1)
	if code, kind, _ := errorParts(err); code != "version_conflict" || kind != shared.KindStaleVersion || currentVersionOf(err) != int64(3) {
		t.Fatalf("stale save: %s %d (current_version %v)", code, kind, currentVersionOf(err))
	}
	if err := f.save(f.newArticle(author, article.Content{Title: "Never stored"}, t1), 1); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("save of an unknown article: %v", err)
	}

	// Slugs are unique among articles, on insert and on update.
	dup := f.newArticle(author, article.Content{Title: "Other", Slug: "hello-world"}, t1)
	if code, kind, fields := errorParts(f.inTx(func(ctx context.Context) error { return f.h.Articles.Add(ctx, dup) })); code != "slug_taken" || kind != shared.KindConflict || !slices.Equal(fields, []string{"slug"}) {
		t.Fatalf("add with a taken slug: %s %d %v", code, kind, fields)
	}
	other := f.add(f.newArticle(author, article.Content{Title: "Other"}, t1))
	_, _ = other.Edit(article.Changes{Slug: ptr("hello-world")}, t1)
	if code, _, fields := errorParts(f.save(other, 1)); code != "slug_taken" || !slices.Equal(fields, []string{"slug"}) {
		t.Fatalf("save with a taken slug: %s %v", code, fields)
	}

	// A tag that does not exist (deleted meanwhile) is refused and nothing is written.
	ghost := f.newArticle(author, article.Content{Title: "Ghost tags", TagIDs: []string{newID()}}, t1)
	if code, kind, fields := errorParts(f.inTx(func(ctx context.Context) error { return f.h.Articles.Add(ctx, ghost) })); code != "validation_failed" || kind != shared.KindInvalid || !slices.Equal(fields, []string{"tags"}) {
		t.Fatalf("add with an unknown tag: %s %d %v", code, kind, fields)
	}
	if _, err := f.h.Articles.Get(f.ctx, ghost.ID()); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("the rolled-back article is visible: %v", err)
	}
	stored := f.get(other.ID())
	_, _ = stored.Edit(article.Changes{TagIDs: &[]string{goTag.ID(), newID()}}, t1)
	if code, _, fields := errorParts(f.save(stored, 1)); code != "validation_failed" || !slices.Equal(fields, []string{"tags"}) {
		t.Fatalf("save with an unknown tag: %s %v", code, fields)
	}
	if again := f.get(other.ID()); again.Version() != 1 || len(again.TagIDs()) != 0 {
		t.Fatalf("a refused save was written: v%d, tags %v", again.Version(), again.TagIDs())
	}

	// Trashed articles are still found by Get.
	trashed := f.get(a.ID())
	if err := trashed.Trash(t1.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := f.save(trashed, 3); err != nil {
		t.Fatal(err)
	}
	if got := f.get(a.ID()); !got.IsTrashed() || !got.TrashedAt().Equal(t1.Add(time.Hour)) {
		t.Fatalf("trashed article: %+v", got.State())
	}
}

// articleConflictDetail: the repository knows the version it found, and says so, so the caller
// need not read it again to answer a 412.
func articleConflictDetail(t *testing.T, f *articleFixture) {
	a := f.add(f.newArticle(f.h.NewAuthor(t), article.Content{Title: "Contested"}, t0))
	fresh := f.get(a.ID())
	_, _ = fresh.Edit(article.Changes{Title: ptr("First")}, t0.Add(time.Minute))
	if err := f.save(fresh, 1); err != nil {
		t.Fatal(err)
	}
	_, _ = a.Edit(article.Changes{Title: ptr("Second")}, t0.Add(time.Minute))
	err := f.save(a, 1)
	if !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(2) {
		t.Fatalf("stale save: %v (current_version %v, want 2)", err, currentVersionOf(err))
	}
}

func articleConcurrentSaves(t *testing.T, f *articleFixture) {
	author := f.h.NewAuthor(t)
	tags := []string{f.tag("Go").ID(), f.tag("Web").ID()}
	stored := f.add(f.newArticle(author, article.Content{Title: "Contested", TagIDs: tags}, t0)).State()

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
			if _, err := a.Edit(article.Changes{Title: &title, TagIDs: &newTags}, t0.Add(time.Minute)); err != nil {
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
	got := f.get(stored.ID)
	if got.Title() != winners[0] || got.Version() != stored.Version+1 || len(got.TagIDs()) != 1 {
		t.Fatalf("stored %q v%d tags %v; the winner was %q", got.Title(), got.Version(), got.TagIDs(), winners[0])
	}
}

func articleTagDeleted(t *testing.T, f *articleFixture) {
	author := f.h.NewAuthor(t)
	a, b, c := f.tag("Alpha"), f.tag("Beta"), f.tag("Gamma")
	art := f.add(f.newArticle(author, article.Content{Title: "Tagged", TagIDs: []string{c.ID(), b.ID(), a.ID()}}, t0))
	if err := f.inTx(func(ctx context.Context) error { return f.h.Tags.Delete(ctx, b.ID(), 1) }); err != nil {
		t.Fatal(err)
	}
	got := f.get(art.ID())
	if want := []string{c.ID(), a.ID()}; !slices.Equal(got.TagIDs(), want) {
		t.Fatalf("tags after delete = %v, want %v (order kept)", got.TagIDs(), want)
	}
	if got.Version() != art.Version() {
		t.Fatalf("version moved from %d to %d", art.Version(), got.Version())
	}
	// The remaining tags still save in their new order.
	_, _ = got.Edit(article.Changes{TagIDs: &[]string{a.ID(), c.ID()}}, t0.Add(time.Hour))
	if err := f.save(got, art.Version()); err != nil {
		t.Fatal(err)
	}
	if again := f.get(art.ID()); !slices.Equal(again.TagIDs(), []string{a.ID(), c.ID()}) {
		t.Fatalf("tags after reorder = %v", again.TagIDs())
	}
}
