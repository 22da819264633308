package article_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// The users of the fixtures, one per role, and a second author.
const (
	uAdmin   = "u-admin"
	uEditor  = "u-editor"
	uAuthor  = "u-author"
	uAuthor2 = "u-author2"
	uContrib = "u-contrib"
	uViewer  = "u-viewer"
)

var roleOf = map[string]identity.Role{
	uAdmin: identity.RoleAdmin, uEditor: identity.RoleEditor, uAuthor: identity.RoleAuthor,
	uAuthor2: identity.RoleAuthor, uContrib: identity.RoleContributor, uViewer: identity.RoleViewer,
}

type fixture struct {
	t     *testing.T
	w     *world
	cache *apptest.Cache
	reads *memReads
	clock *apptest.Clock
	svc   *articleapp.Service
	repo  *memstore.Articles
	aside *cacheaside.Aside
	ids   *apptest.IDs
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	w := newWorld()
	for id := range roleOf {
		w.authors[id] = articleapp.AuthorRef{ID: id, Slug: id, Name: "Name of " + id}
	}
	f := &fixture{
		t: t, w: w, cache: apptest.NewCache(w.journal), reads: &memReads{w: w}, clock: apptest.NewClock(t0), repo: w.db.Articles(),
		ids: &apptest.IDs{},
	}
	f.aside = cacheaside.New(f.cache, cacheaside.Options{Enabled: true, TTL: time.Minute}, zap.NewNop())
	f.svc = f.serviceWith(f.repo)
	return f
}

// serviceWith is a service on the fixture's world with another article repository.
func (f *fixture) serviceWith(articles article.Repository) *articleapp.Service {
	return articleapp.NewService(f.w.tx, articles, f.w.db.Tags(), f.reads, plainRenderer{}, f.w.outbox,
		viewShapes{}, f.aside, f.clock, f.ids, articleapp.Previews{})
}

// as is the context of userID acting through a token.
func as(userID string) context.Context {
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: userID, Role: roleOf[userID], TokenID: "tok"})
}

func asReadOnly(userID string) context.Context {
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: userID, Role: roleOf[userID], TokenID: "tok", ReadOnly: true})
}

// tag stores a tag directly (the tag use cases are application/tag's).
func (f *fixture) tag(name string) tag.State {
	f.t.Helper()
	tg, err := tag.New("tag-"+name, name, "", "", t0)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.w.db.Tags().Add(context.Background(), tg); err != nil {
		f.t.Fatal(err)
	}
	return tg.State()
}

// draft creates an article as owner.
func (f *fixture) draft(owner, title string, tags ...string) articleapp.ArticleDetail {
	f.t.Helper()
	d, err := f.svc.Create(as(owner), articleapp.CreateArticle{Title: title, BodyMarkdown: "Body of " + title, Tags: tags})
	if err != nil {
		f.t.Fatalf("create %q: %v", title, err)
	}
	return d
}

// act runs a workflow action as an admin, failing the test on error.
func (f *fixture) act(d articleapp.ArticleDetail, a articleapp.Action, at *time.Time) articleapp.ArticleDetail {
	f.t.Helper()
	out, err := f.svc.Act(as(uAdmin), d.ID, d.Version, a, at)
	if err != nil {
		f.t.Fatalf("%s %q: %v", a, d.Title, err)
	}
	return out
}

func (f *fixture) published(owner, title string, tags ...string) articleapp.ArticleDetail {
	f.t.Helper()
	return f.act(f.draft(owner, title, tags...), articleapp.ActionPublish, nil)
}

func (f *fixture) stored(id string) (v shared.Version, revisions int) {
	f.w.db.View(func(t memstore.Tables) { v, revisions = t.Articles[id].Version, len(t.Revisions[id]) })
	return v, revisions
}

func codeOf(err error) string {
	var de *shared.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func fieldsOf(err error) []string {
	var de *shared.Error
	if !errors.As(err, &de) || de.Kind != shared.KindInvalid {
		return nil
	}
	var out []string
	for _, fe := range de.Fields {
		out = append(out, fe.Field)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// shapedArticle is the data viewShapes gives an article event: the view itself, marked.
type shapedArticle struct{ articleapp.ArticleSummary }

// viewShapes is the EventShapes of the use-case tests; the HTTP layer's is tested against the API.
type viewShapes struct{}

func (viewShapes) Article(s articleapp.ArticleSummary) any { return shapedArticle{s} }
