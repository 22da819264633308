package persistence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

// contentT0 is the fixtures' reference time: microsecond precision, as the clock gives.
var contentT0 = time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)

// contentFixture builds articles, tags and users on one test database with the real repositories
// and the real Markdown renderer.
type contentFixture struct {
	t        *testing.T
	ctx      context.Context
	db       *persistence.DB
	tx       *persistence.TxManager
	tags     *persistence.TagRepository
	articles *persistence.ArticleRepository
	reads    *persistence.ArticleReadModel
	renderer *markdown.Renderer
}

func newContentFixture(t *testing.T, db *persistence.DB) *contentFixture {
	t.Helper()
	return &contentFixture{
		t: t, ctx: context.Background(), db: db, tx: persistence.NewTxManager(db),
		tags: persistence.NewTagRepository(db), articles: persistence.NewArticleRepository(db),
		reads: persistence.NewArticleReadModel(db), renderer: markdown.NewRenderer(markdown.DefaultLimits()),
	}
}

func (f *contentFixture) newID() string { return uuid.Must(uuid.NewV7()).String() }

// user inserts an author directly: the identity repositories are not this suite's subject.
func (f *contentFixture) user(slug, name string) string {
	f.t.Helper()
	id := f.newID()
	err := f.db.Conn(f.ctx).Exec(`INSERT INTO users (id, name, slug, email, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'author', ?, ?)`, id, name, slug, slug+"@example.com", contentT0, contentT0).Error
	if err != nil {
		f.t.Fatalf("insert user %s: %v", slug, err)
	}
	return id
}

func (f *contentFixture) tag(name string) *tag.Tag {
	f.t.Helper()
	tg, err := tag.New(f.newID(), name, "", "about "+name, contentT0)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.tags.Add(f.ctx, tg); err != nil {
		f.t.Fatalf("add tag %s: %v", name, err)
	}
	return tg
}

// newArticle validates and renders an article without storing it.
func (f *contentFixture) newArticle(authorID string, c article.Content, at time.Time) *article.Article {
	f.t.Helper()
	a, err := article.New(f.newID(), authorID, c, at)
	if err != nil {
		f.t.Fatalf("new article %q: %v", c.Title, err)
	}
	return a
}

// body renders md with the real renderer, as the application does before a transaction.
func (f *contentFixture) body(md string) article.Body {
	f.t.Helper()
	b, err := article.RenderBody(f.ctx, f.renderer, md)
	if err != nil {
		f.t.Fatalf("render %q: %v", md, err)
	}
	return b
}

// add stores a in a transaction, as the application does.
func (f *contentFixture) add(a *article.Article) *article.Article {
	f.t.Helper()
	if err := f.tx.Do(f.ctx, func(ctx context.Context) error { return f.articles.Add(ctx, a) }); err != nil {
		f.t.Fatalf("add article %q: %v", a.Title(), err)
	}
	return a
}

// published stores an article published at `at`.
func (f *contentFixture) published(authorID, title, body string, at time.Time, tags ...*tag.Tag) *article.Article {
	f.t.Helper()
	a := f.newArticle(authorID, article.Content{Title: title, Body: f.body(body), TagIDs: tagIDs(tags)}, at.Add(-time.Hour))
	if err := a.Publish(at); err != nil {
		f.t.Fatal(err)
	}
	return f.add(a)
}

func (f *contentFixture) save(a *article.Article, expected shared.Version) error {
	return f.tx.Do(f.ctx, func(ctx context.Context) error { return f.articles.Save(ctx, a, expected) })
}

func tagIDs(tags []*tag.Tag) []string {
	var ids []string
	for _, t := range tags {
		ids = append(ids, t.ID())
	}
	return ids
}

// edge fills in the defaults of a list query as the HTTP edge does (the read model trusts its
// input): the default limit, and -published_at, or relevance for a search.
func edge(q articleapp.ListQuery) articleapp.ListQuery {
	if q.Limit == 0 {
		q.Limit = listing.DefaultLimit
	}
	q.Q = strings.TrimSpace(q.Q)
	switch {
	case q.Sort != "":
	case q.Q != "":
		q.Sort = articleapp.SortRelevance
	default:
		q.Sort = articleapp.SortPublishedDesc
	}
	return q
}
