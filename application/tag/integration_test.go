package tag_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/listing"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
	articlehttp "github.com/inkwell-cms/inkwell/interfaces/http/article"
	taghttp "github.com/inkwell-cms/inkwell/interfaces/http/tag"
)

// content is the article and tag services of one node, wired as serve wires them, on one database
// and one cache: the two contexts meet only through the database and the cache namespaces.
type content struct {
	articles *articleapp.Service
	tags     *tagapp.Service
}

func newContent(t *testing.T, db *persistence.DB) content {
	t.Helper()
	aside := cacheaside.New(cache.NewMemory(100, time.Minute), cacheaside.Options{Enabled: true, TTL: time.Minute},
		zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)))
	tx, outbox, tags, clk, ids := persistence.NewTxManager(db), persistence.NewOutbox(db), persistence.NewTagRepository(db),
		clock.NewSystem(), clock.NewUUIDv7()
	return content{
		articles: articleapp.NewService(tx, persistence.NewArticleRepository(db), tags, persistence.NewArticleReadModel(db),
			markdown.NewRenderer(markdown.DefaultLimits()), outbox, articlehttp.NewEventShapes(), aside, clk, ids, articleapp.Previews{}),
		tags: tagapp.NewService(tx, tags, persistence.NewTagReadModel(db), outbox, taghttp.NewEventShapes(), aside, clk, ids),
	}
}

// editor stores an editor and returns the context of a token of theirs.
func editor(t *testing.T, db *persistence.DB) context.Context {
	t.Helper()
	u, err := identity.NewUser(identity.NewUserParams{
		ID: clock.NewUUIDv7().NewID(), Name: "Ed Editor", Slug: "ed-editor", Email: "ed@example.com",
		Role: identity.RoleEditor, Now: clock.NewSystem().Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := persistence.NewUserRepository(db).Add(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: u.ID(), Role: identity.RoleEditor, TokenID: "tok"})
}

// TestTagAndArticleWritesRetireEachOthersCacheEntries: a cached article shows a tag's new name
// after a rename, a cached tag count follows publishing and unpublishing, and a deleted tag leaves
// its cached article.
func TestTagAndArticleWritesRetireEachOthersCacheEntries(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		c, ctx, public := newContent(t, db), editor(t, db), context.Background()
		tg, err := c.tags.Create(ctx, tagapp.CreateTag{Name: "Go"})
		if err != nil {
			t.Fatal(err)
		}
		count := func(what string, want int) {
			t.Helper()
			v, err := c.tags.PublicTag(public, "go")
			page, listErr := c.tags.PublicTags(public, listing.FirstPage())
			if err != nil || listErr != nil || v.ArticleCount != want || len(page.Items) != 1 || page.Items[0].ArticleCount != want {
				t.Fatalf("%s: tag %+v (%v), list %+v (%v), want count %d", what, v, err, page.Items, listErr, want)
			}
		}
		count("a new tag", 0)

		d, err := c.articles.Create(ctx, articleapp.CreateArticle{Title: "Gophers", BodyMarkdown: "Body.", Tags: []string{"go"}})
		if err != nil {
			t.Fatal(err)
		}
		if d, err = c.articles.Act(ctx, d.ID, d.Version, articleapp.ActionPublish, nil); err != nil {
			t.Fatal(err)
		}
		count("after publishing", 1)
		if got, err := c.articles.PublishedArticle(public, d.Slug); err != nil || got.Tags[0].Name != "Go" {
			t.Fatalf("warm the cache: %+v, %v", got.Tags, err)
		}
		if page, err := c.articles.PublishedArticles(public, articleapp.LatestQuery()); err != nil || page.Items[0].Tags[0].Name != "Go" {
			t.Fatalf("warm the cache: %+v, %v", page.Items, err)
		}

		if tg, err = c.tags.Update(ctx, tg.ID, tg.Version, tagapp.UpdateTag{Name: ptr("Golang")}); err != nil {
			t.Fatal(err)
		}
		if got, err := c.articles.PublishedArticle(public, d.Slug); err != nil || got.Tags[0].Name != "Golang" {
			t.Fatalf("the cached article shows the old tag name: %+v, %v", got.Tags, err)
		}
		if page, err := c.articles.PublishedArticles(public, articleapp.LatestQuery()); err != nil || page.Items[0].Tags[0].Name != "Golang" {
			t.Fatalf("the cached list shows the old tag name: %+v, %v", page.Items, err)
		}

		if _, err := c.articles.Act(ctx, d.ID, d.Version, articleapp.ActionUnpublish, nil); err != nil {
			t.Fatal(err)
		}
		count("after unpublishing", 0)

		if err := c.tags.Delete(ctx, tg.ID, tg.Version); err != nil {
			t.Fatal(err)
		}
		if got, err := c.articles.Get(ctx, d.ID); err != nil || len(got.Tags) != 0 {
			t.Fatalf("the deleted tag stays on its article: %+v, %v", got.Tags, err)
		}
		if page, err := c.tags.PublicTags(public, listing.FirstPage()); err != nil || len(page.Items) != 0 {
			t.Fatalf("the deleted tag is still listed: %+v, %v", page.Items, err)
		}
	})
}
