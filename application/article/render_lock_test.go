package article_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// gateRenderer renders like the real renderer, but a body starting with "SLOW" blocks until release
// is closed, after saying so on started: a render as slow as the test wants.
type gateRenderer struct {
	next    article.Renderer
	started chan struct{}
	release chan struct{}
}

func (g gateRenderer) Render(ctx context.Context, md string) (string, string, error) {
	if strings.HasPrefix(md, "SLOW") {
		g.started <- struct{}{}
		<-g.release
	}
	return g.next.Render(ctx, md)
}

// TestSlowRenderDoesNotBlockOtherWriters holds a render (of a create, then of a patch) and, while it
// is held, has another editor create and change articles: on SQLite a render inside the write
// transaction would hold BEGIN IMMEDIATE's lock and these writes would wait for it (or fail with
// "database is locked"); on PostgreSQL it would hold a pooled connection in an open transaction.
func TestSlowRenderDoesNotBlockOtherWriters(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		g := gateRenderer{next: markdown.NewRenderer(markdown.DefaultLimits()), started: make(chan struct{}), release: make(chan struct{})}
		svc := articleapp.NewService(persistence.NewTxManager(db), persistence.NewArticleRepository(db), persistence.NewTagRepository(db),
			persistence.NewArticleReadModel(db), g, persistence.NewOutbox(db), viewShapes{},
			cacheaside.New(cache.NewMemory(100, time.Minute), cacheaside.Options{}, zap.NewNop()), clock.NewSystem(), clock.NewUUIDv7(), articleapp.Previews{})
		slowCtx := addUser(t, db, "Sam Slow", identity.RoleAuthor)
		ctx := addUser(t, db, "Fay Fast", identity.RoleAuthor)
		other, err := svc.Create(ctx, articleapp.CreateArticle{Title: "Other", BodyMarkdown: "Other body."})
		if err != nil {
			t.Fatal(err)
		}
		slowOne, err := svc.Create(slowCtx, articleapp.CreateArticle{Title: "Slow one", BodyMarkdown: "Fast at first."})
		if err != nil {
			t.Fatal(err)
		}
		for _, slow := range []struct {
			name  string
			write func() (articleapp.ArticleDetail, error)
		}{
			{"create", func() (articleapp.ArticleDetail, error) {
				return svc.Create(slowCtx, articleapp.CreateArticle{Title: "Slow", BodyMarkdown: "SLOW create"})
			}},
			{"patch", func() (articleapp.ArticleDetail, error) {
				return svc.Update(slowCtx, slowOne.ID, slowOne.Version, articleapp.UpdateArticle{BodyMarkdown: ptr("SLOW patch")})
			}},
		} {
			t.Run(slow.name, func(t *testing.T) {
				done := make(chan error, 1)
				go func() {
					_, err := slow.write()
					done <- err
				}()
				<-g.started // the slow write is rendering now, and stays there until release
				d, err := whileHeld(t, func() (articleapp.ArticleDetail, error) {
					title := "Renamed during the " + slow.name
					return svc.Update(ctx, other.ID, other.Version, articleapp.UpdateArticle{Title: &title, BodyMarkdown: ptr("New " + slow.name)})
				})
				if err != nil {
					t.Fatalf("a write beside a held render: %v", err)
				}
				other = d
				if _, err := whileHeld(t, func() (articleapp.ArticleDetail, error) {
					return svc.Create(ctx, articleapp.CreateArticle{Title: "Created during the " + slow.name})
				}); err != nil {
					t.Fatalf("a create beside a held render: %v", err)
				}
				select {
				case err := <-done:
					t.Fatalf("the slow %s finished while its render was held: %v", slow.name, err)
				default:
				}
				g.release <- struct{}{}
				if err := <-done; err != nil {
					t.Fatalf("the slow %s, once released: %v", slow.name, err)
				}
			})
		}
	})
}

// whileHeld runs a write that must not wait for the held render; the bound only keeps a regression
// from hanging the run, it measures nothing.
func whileHeld(t *testing.T, write func() (articleapp.ArticleDetail, error)) (articleapp.ArticleDetail, error) {
	t.Helper()
	type result struct {
		d   articleapp.ArticleDetail
		err error
	}
	out := make(chan result, 1)
	go func() {
		d, err := write()
		out <- result{d, err}
	}()
	select {
	case r := <-out:
		return r.d, r.err
	case <-time.After(time.Minute):
		t.Fatal("the write waited for the held render")
		return articleapp.ArticleDetail{}, nil
	}
}
