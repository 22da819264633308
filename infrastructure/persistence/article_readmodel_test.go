package persistence_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// readModelSet is the data set of the read-model tests: 25 public articles whose dates and titles
// repeat (so the id must break ties) and, beside them, one article of every kind the public must
// never see.
type readModelSet struct {
	*contentFixture
	now              time.Time
	ann, bob         string
	goTag, rust, web *tag.Tag
	public           []*article.Article
	hidden           map[string]*article.Article
}

var readModelTitles = []string{"Zebra", "apple", "Mango", "mango", "Äpfel", "banana", "Banana", "10 tips"}

func newReadModelSet(t *testing.T, db *persistence.DB) *readModelSet {
	t.Helper()
	f := newContentFixture(t, db)
	s := &readModelSet{contentFixture: f, now: contentT0.Add(100 * time.Hour), hidden: map[string]*article.Article{}}
	s.ann, s.bob = f.user("ann", "Ann Lee"), f.user("bob", "Bob Ray")
	s.goTag, s.rust, s.web = f.tag("Go"), f.tag("Rust"), f.tag("Web")
	for i := range 25 {
		author, tags := s.ann, []string{s.goTag.ID(), s.web.ID()}
		if i%2 == 1 {
			author = s.bob
		}
		switch i % 3 {
		case 1:
			tags = []string{s.rust.ID()}
		case 2:
			tags = nil
		}
		at := contentT0.Add(time.Duration(i/3) * time.Hour)
		a := f.newArticle(author, article.Content{
			Title: readModelTitles[i%len(readModelTitles)], Slug: fmt.Sprintf("article-%02d", i),
			Body: f.body(fmt.Sprintf("Article number %d.", i)), TagIDs: tags,
		}, at.Add(-time.Hour))
		if err := a.Publish(at); err != nil {
			t.Fatal(err)
		}
		s.public = append(s.public, f.add(a))
	}
	hide := func(name string, change func(a *article.Article) error) {
		a := f.newArticle(s.ann, article.Content{
			Title: "Hidden " + name, Body: f.body("Never public."), TagIDs: []string{s.goTag.ID()},
		}, contentT0)
		if err := change(a); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.hidden[name] = f.add(a)
	}
	hide("draft", func(*article.Article) error { return nil })
	hide("scheduled", func(a *article.Article) error { return a.Schedule(s.now.Add(time.Hour), contentT0) })
	hide("archived", func(a *article.Article) error { return errors.Join(a.Publish(contentT0), a.Archive(contentT0)) })
	hide("unpublished", func(a *article.Article) error { return errors.Join(a.Publish(contentT0), a.Unpublish(contentT0)) })
	hide("future", func(a *article.Article) error { return a.Publish(s.now.Add(time.Hour)) })
	hide("trashed", func(a *article.Article) error {
		return errors.Join(a.Publish(contentT0), a.Trash(contentT0.Add(time.Hour)))
	})
	return s
}

func (s *readModelSet) list(q articleapp.ListQuery) articleapp.Page {
	s.t.Helper()
	if q.Visibility == articleapp.VisibilityPublic {
		q.Now = s.now
	}
	page, err := s.reads.ListArticles(s.ctx, edge(q))
	if err != nil {
		s.t.Fatalf("list %+v: %v", q, err)
	}
	return page
}

func (s *readModelSet) hiddenExcept(names ...string) []*article.Article {
	var out []*article.Article
	for name, a := range s.hidden {
		if !slices.Contains(names, name) {
			out = append(out, a)
		}
	}
	return out
}

func idsOf(items []articleapp.ArticleSummary) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func articleIDs(arts []*article.Article, keep func(*article.Article) bool) []string {
	var out []string
	for _, a := range arts {
		if keep == nil || keep(a) {
			out = append(out, a.ID())
		}
	}
	return out
}

func TestReadModelShowsThePublicOnlyWhatIsPublished(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		page := s.list(articleapp.ListQuery{Limit: 100})
		if got, want := sorted(idsOf(page.Items)), sorted(articleIDs(s.public, nil)); !slices.Equal(got, want) {
			t.Fatalf("public list has %d articles, want the %d published ones", len(got), len(want))
		}
		for name, a := range s.hidden {
			if _, err := s.reads.GetPublishedArticleBySlug(s.ctx, a.Slug(), s.now); !errors.Is(err, article.ErrNotFound) {
				t.Errorf("%s article by slug: %v, want article_not_found", name, err)
			}
			if got, err := s.reads.GetArticle(s.ctx, a.ID()); err != nil || got.Status != a.Status() || (got.TrashedAt != nil) != a.IsTrashed() {
				t.Errorf("%s article by id (admin): %+v, %v", name, got, err)
			}
		}
		if _, err := s.reads.GetPublishedArticleBySlug(s.ctx, "no-such-article", s.now); !errors.Is(err, article.ErrNotFound) {
			t.Fatalf("unknown slug: %v", err)
		}
		if _, err := s.reads.GetPublishedArticleBySlug(s.ctx, "bad\x00slug", s.now); !errors.Is(err, article.ErrNotFound) {
			t.Fatalf("malformed slug: %v", err)
		}
		for _, id := range []string{s.newID(), "not-an-id"} {
			if _, err := s.reads.GetArticle(s.ctx, id); !errors.Is(err, article.ErrNotFound) {
				t.Fatalf("GetArticle(%q): %v", id, err)
			}
		}
		// Once its time has come the future-dated article is public.
		future := s.hidden["future"]
		if _, err := s.reads.GetPublishedArticleBySlug(s.ctx, future.Slug(), *future.PublishedAt()); err != nil {
			t.Fatalf("future article at its time: %v", err)
		}
	})
}

func TestReadModelArticleDetail(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		f := newContentFixture(t, db)
		author := f.user("ann-lee", "Ann Lee")
		goTag, web := f.tag("Go"), f.tag("Web")
		a := f.newArticle(author, article.Content{
			Title: "Detailed", Body: f.body("# Heading\n\n[x](javascript:alert(1)) <script>alert(1)</script> **bold**"),
			Excerpt: "Hand-written", CoverImageURL: "https://example.com/c.png", MetaTitle: "Meta", MetaDescription: "Desc",
			TagIDs: []string{web.ID(), goTag.ID()},
		}, contentT0)
		_ = a.Publish(contentT0.Add(time.Hour))
		f.add(a)
		got, err := f.reads.GetPublishedArticleBySlug(f.ctx, "detailed", contentT0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := articleapp.ArticleDetail{
			ArticleSummary: articleapp.ArticleSummary{
				ID: a.ID(), Slug: "detailed", Title: "Detailed", Excerpt: "Hand-written", CoverImageURL: "https://example.com/c.png",
				Status: article.StatusPublished, Author: articleapp.AuthorRef{ID: author, Slug: "ann-lee", Name: "Ann Lee"},
				Tags:        []articleapp.TagRef{{ID: web.ID(), Slug: "web", Name: "Web"}, {ID: goTag.ID(), Slug: "go", Name: "Go"}},
				PublishedAt: a.PublishedAt(), CreatedAt: contentT0, UpdatedAt: contentT0.Add(time.Hour),
				ReadingTimeMinutes: 1, Version: 2,
			},
			BodyMarkdown: a.BodyMarkdown(), BodyHTML: a.BodyHTML(), MetaTitle: "Meta", MetaDescription: "Desc",
		}
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("detail:\n got %+v\nwant %+v", got, want)
		}
		if strings.Contains(got.BodyHTML, "<script") || strings.Contains(got.BodyHTML, "javascript:") || !strings.Contains(got.BodyHTML, "<strong>bold</strong>") {
			t.Fatalf("body_html is not the sanitized rendering: %s", got.BodyHTML)
		}
	})
}

func TestReadModelFilters(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		s := newReadModelSet(t, db)
		has := func(tg *tag.Tag) func(*article.Article) bool {
			return func(a *article.Article) bool { return slices.Contains(a.TagIDs(), tg.ID()) }
		}
		byBob := func(a *article.Article) bool { return a.AuthorID() == s.bob }
		all := append(slices.Clone(s.public), s.hiddenExcept()...)
		statusIs := func(st article.Status) func(*article.Article) bool {
			return func(a *article.Article) bool { return a.Status() == st && !a.IsTrashed() }
		}
		admin := articleapp.VisibilityAdmin
		tests := map[string]struct {
			q    articleapp.ListQuery
			want []string
		}{
			"one tag":                         {articleapp.ListQuery{TagSlugs: []string{"rust"}}, articleIDs(s.public, has(s.rust))},
			"any of two tags":                 {articleapp.ListQuery{TagSlugs: []string{"rust", "go"}}, articleIDs(s.public, func(a *article.Article) bool { return has(s.rust)(a) || has(s.goTag)(a) })},
			"unknown tag":                     {articleapp.ListQuery{TagSlugs: []string{"zig"}}, nil},
			"unknown and known tag":           {articleapp.ListQuery{TagSlugs: []string{"zig", "rust"}}, articleIDs(s.public, has(s.rust))},
			"malformed tag":                   {articleapp.ListQuery{TagSlugs: []string{"bad\x00"}}, nil},
			"author":                          {articleapp.ListQuery{AuthorSlug: "bob"}, articleIDs(s.public, byBob)},
			"unknown author":                  {articleapp.ListQuery{AuthorSlug: "nobody"}, nil},
			"malformed author":                {articleapp.ListQuery{AuthorSlug: "\xff"}, nil},
			"author and tag":                  {articleapp.ListQuery{AuthorSlug: "bob", TagSlugs: []string{"rust"}}, articleIDs(s.public, func(a *article.Article) bool { return byBob(a) && has(s.rust)(a) })},
			"admin: everything but the trash": {articleapp.ListQuery{Visibility: admin}, articleIDs(all, func(a *article.Article) bool { return !a.IsTrashed() })},
			"admin: drafts":                   {articleapp.ListQuery{Visibility: admin, Statuses: []article.Status{article.StatusDraft}}, articleIDs(all, statusIs(article.StatusDraft))},
			"admin: scheduled or archived": {articleapp.ListQuery{Visibility: admin, Statuses: []article.Status{article.StatusScheduled, article.StatusArchived}},
				articleIDs(all, func(a *article.Article) bool {
					return statusIs(article.StatusScheduled)(a) || statusIs(article.StatusArchived)(a)
				})},
			"admin: the trash":           {articleapp.ListQuery{Visibility: admin, Trash: articleapp.TrashOnly}, []string{s.hidden["trashed"].ID()}},
			"admin: published and trash": {articleapp.ListQuery{Visibility: admin, Trash: articleapp.TrashIncluded, Statuses: []article.Status{article.StatusPublished}}, articleIDs(all, func(a *article.Article) bool { return a.Status() == article.StatusPublished })},
			"admin: tag sees drafts":     {articleapp.ListQuery{Visibility: admin, TagSlugs: []string{"go"}}, articleIDs(all, func(a *article.Article) bool { return has(s.goTag)(a) && !a.IsTrashed() })},
			"admin: everything":          {articleapp.ListQuery{Visibility: admin, Trash: articleapp.TrashIncluded}, articleIDs(all, nil)},
		}
		for name, tt := range tests {
			tt.q.Limit = 100
			got := idsOf(s.list(tt.q).Items)
			if !slices.Equal(sorted(got), sorted(tt.want)) {
				t.Errorf("%s: got %d articles, want %d", name, len(got), len(tt.want))
			}
		}
		if n := len(s.list(articleapp.ListQuery{Visibility: admin, Statuses: []article.Status{article.StatusDraft}}).Items); n != 2 {
			t.Fatalf("drafts = %d, want the draft and the unpublished article", n)
		}
	})
}
