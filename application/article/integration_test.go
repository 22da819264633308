package article_test

import (
	"context"
	"fmt"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/worker"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/application"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// node is one Inkwell process on a shared database: its own service, repositories and cache-aside
// reader over the given cache (shared between nodes as Redis is, or local to one).
type node struct {
	svc      *articleapp.Service
	articles *persistence.ArticleRepository
	tx       *persistence.TxManager
}

func newNode(t *testing.T, db *persistence.DB, c application.Cache, clk application.Clock) node {
	t.Helper()
	aside := cacheaside.New(c, cacheaside.Options{Enabled: true, TTL: time.Minute, DoubleDeleteDelay: 20 * time.Millisecond},
		zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)))
	n := node{articles: persistence.NewArticleRepository(db), tx: persistence.NewTxManager(db)}
	n.svc = articleapp.NewService(n.tx, n.articles, persistence.NewTagRepository(db), persistence.NewArticleReadModel(db),
		markdown.NewRenderer(markdown.DefaultLimits()), persistence.NewOutbox(db), viewShapes{}, aside, clk, clock.NewUUIDv7(), articleapp.Previews{})
	return n
}

// addUser stores a user and returns the context of a token of theirs.
func addUser(t *testing.T, db *persistence.DB, name string, role identity.Role) context.Context {
	t.Helper()
	u, err := identity.NewUser(identity.NewUserParams{
		ID: clock.NewUUIDv7().NewID(), Name: name, Slug: identity.SlugFromName(name),
		Email: identity.SlugFromName(name) + "@example.com", Role: role, Now: clock.NewSystem().Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := persistence.NewUserRepository(db).Add(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: u.ID(), Role: role, TokenID: "tok"})
}

func TestTwoSchedulersPublishEachArticleExactlyOnce(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		clk := apptest.NewClock(clock.NewSystem().Now())
		nodes := []node{newNode(t, db, cache.NewMemory(100, time.Minute), clk), newNode(t, db, cache.NewMemory(100, time.Minute), clk)}
		ctx := addUser(t, db, "Ann Author", identity.RoleAuthor)
		const articles = 30
		ids := make([]string, articles)
		for i := range articles {
			d, err := nodes[0].svc.Create(ctx, articleapp.CreateArticle{Title: fmt.Sprintf("Scheduled %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			at := clk.Now().Add(time.Duration(i+1) * time.Second)
			if d, err = nodes[0].svc.Act(ctx, d.ID, d.Version, articleapp.ActionSchedule, &at); err != nil {
				t.Fatal(err)
			}
			ids[i] = d.ID
		}
		clk.Advance(time.Hour)

		metrics := &countingMetrics{}
		var wg sync.WaitGroup
		for _, n := range nodes {
			s := articleapp.NewScheduler(n.svc, n.articles, n.tx, clk, time.Hour, metrics, worker.Backoff{},
				zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)))
			for range 3 { // several passes per node, all at once
				wg.Go(func() { s.RunOnce(context.Background()) })
			}
		}
		wg.Wait()
		if metrics.total() != articles {
			t.Fatalf("the schedulers counted %d publishes, want %d", metrics.total(), articles)
		}
		type count struct {
			ID string
			N  int
		}
		var events, revisions []count
		conn := db.Conn(context.Background())
		if err := conn.Raw(`SELECT aggregate_id AS id, COUNT(*) AS n FROM outbox_messages
			WHERE type = ? GROUP BY aggregate_id`, article.EventPublished).Scan(&events).Error; err != nil {
			t.Fatal(err)
		}
		if err := conn.Raw(`SELECT article_id AS id, COUNT(*) AS n FROM article_revisions
			WHERE status = 'published' GROUP BY article_id`).Scan(&revisions).Error; err != nil {
			t.Fatal(err)
		}
		for name, counts := range map[string][]count{"article.published events": events, "published revisions": revisions} {
			if len(counts) != articles {
				t.Fatalf("%s for %d articles, want %d", name, len(counts), articles)
			}
			for _, c := range counts {
				if c.N != 1 {
					t.Fatalf("%s: article %s has %d, want exactly one", name, c.ID, c.N)
				}
			}
		}
		for _, id := range ids {
			d, err := nodes[1].svc.Get(ctx, id)
			if err != nil || d.Status != article.StatusPublished || d.Version != 3 {
				t.Fatalf("article %s: status %s, version %d, %v", id, d.Status, d.Version, err)
			}
		}
	})
}

func TestAReadAfterAWriteNeverSeesTheOldContent(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		shared := cache.NewMemory(1000, time.Minute) // one cache for both nodes, as Redis is
		nodes := []node{newNode(t, db, shared, clock.NewSystem()), newNode(t, db, shared, clock.NewSystem())}
		ctx := addUser(t, db, "Eve Editor", identity.RoleEditor)
		d, err := nodes[0].svc.Create(ctx, articleapp.CreateArticle{Title: "Title 0", BodyMarkdown: "Hello"})
		if err != nil {
			t.Fatal(err)
		}
		if d, err = nodes[0].svc.Act(ctx, d.ID, d.Version, articleapp.ActionPublish, nil); err != nil {
			t.Fatal(err)
		}

		slug := d.Slug
		// Readers on both nodes keep filling the cache while the writer writes, so that reads that
		// loaded the old row race every invalidation.
		stop := make(chan struct{})
		var readers sync.WaitGroup
		for i := range 4 {
			n := nodes[i%2]
			readers.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
						_, _ = n.svc.PublishedArticle(context.Background(), slug)
						_, _ = n.svc.PublishedArticles(context.Background(), articleapp.LatestQuery())
					}
				}
			})
		}
		defer func() { close(stop); readers.Wait() }()

		for i := 1; i <= 25; i++ {
			title := fmt.Sprintf("Title %d", i)
			if d, err = nodes[i%2].svc.Update(ctx, d.ID, d.Version, articleapp.UpdateArticle{Title: &title}); err != nil {
				t.Fatal(err)
			}
			// The edit of the live article is pending: the public reads still answer the live one.
			if got, err := nodes[(i+1)%2].svc.PublishedArticle(context.Background(), d.Slug); err != nil || got.Title == title {
				t.Fatalf("write %d: the pending title is public: %q, %v", i, got.Title, err)
			}
			if d, err = nodes[(i+1)%2].svc.Act(ctx, d.ID, d.Version, articleapp.ActionPublishChanges, nil); err != nil {
				t.Fatal(err)
			}
			for _, n := range nodes {
				got, err := n.svc.PublishedArticle(context.Background(), d.Slug)
				if err != nil || got.Title != title || got.Version != d.Version {
					t.Fatalf("write %d: read %q (version %d), %v; want %q", i, got.Title, got.Version, err, title)
				}
				page, err := n.svc.PublishedArticles(context.Background(), articleapp.LatestQuery())
				if err != nil || len(page.Items) != 1 || page.Items[0].Title != title {
					t.Fatalf("write %d: list shows %+v, %v; want %q", i, page.Items, err, title)
				}
			}
		}
		// Unpublishing takes it off at once too.
		if _, err := nodes[0].svc.Act(ctx, d.ID, d.Version, articleapp.ActionUnpublish, nil); err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes {
			if got, err := n.svc.PublishedArticle(context.Background(), d.Slug); err == nil {
				t.Fatalf("an unpublished article is still served: %q", got.Title)
			}
		}
	})
}
