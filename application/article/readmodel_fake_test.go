package article_test

import (
	"context"
	"slices"
	"strings"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// memReads answers the ReadModel from the world's stores. Lists return every visible article in
// title order (paging and filters are the persistence suite's subject); it records the last query.
type memReads struct {
	w         *world
	lastQuery *articleapp.ListQuery
}

func (r *memReads) summary(s article.State) articleapp.ArticleSummary {
	out := articleapp.ArticleSummary{
		ID: s.ID, Slug: s.Slug, Title: s.Title, Excerpt: s.Excerpt, CoverImageURL: s.CoverImageURL,
		Status: s.Status, Author: r.w.authors[s.AuthorID], PublishedAt: s.PublishedAt, ScheduledAt: s.ScheduledAt,
		TrashedAt: s.TrashedAt, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		ReadingTimeMinutes: s.ReadingTimeMinutes, Version: s.Version,
	}
	for _, id := range s.TagIDs {
		t := r.w.tags[id]
		out.Tags = append(out.Tags, articleapp.TagRef{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	return out
}

func (r *memReads) detail(s article.State) articleapp.ArticleDetail {
	return articleapp.ArticleDetail{
		ArticleSummary: r.summary(s), BodyMarkdown: s.BodyMarkdown, BodyHTML: s.BodyHTML,
		MetaTitle: s.MetaTitle, MetaDescription: s.MetaDescription,
	}
}

func public(s article.State, now time.Time) bool {
	return s.Status == article.StatusPublished && s.TrashedAt == nil && !s.PublishedAt.After(now)
}

func (r *memReads) ListArticles(_ context.Context, q articleapp.ListQuery) (articleapp.Page, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.reads++
	r.lastQuery = &q
	page := articleapp.Page{Limit: q.Limit}
	for _, s := range r.w.articles {
		if q.Visibility == articleapp.VisibilityAdmin || public(s, q.Now) {
			page.Items = append(page.Items, r.summary(s))
		}
	}
	slices.SortFunc(page.Items, func(a, b articleapp.ArticleSummary) int { return strings.Compare(a.Title, b.Title) })
	return page, nil
}

func (r *memReads) GetArticle(_ context.Context, id string) (articleapp.ArticleDetail, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	s, ok := r.w.articles[id]
	if !ok {
		return articleapp.ArticleDetail{}, article.ErrNotFound
	}
	return r.detail(s), nil
}

func (r *memReads) GetPublishedArticleBySlug(_ context.Context, slug string, now time.Time) (articleapp.ArticleDetail, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	r.w.reads++
	for _, s := range r.w.articles {
		if s.Slug == slug && public(s, now) {
			return r.detail(s), nil
		}
	}
	return articleapp.ArticleDetail{}, article.ErrNotFound
}

func (r *memReads) ArticleRefs(_ context.Context, authorID string, tagIDs []string) (articleapp.AuthorRef, []articleapp.TagRef, error) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	author, ok := r.w.authors[authorID]
	if !ok {
		author = articleapp.AuthorRef{ID: authorID}
	}
	tags := []articleapp.TagRef{}
	for _, id := range tagIDs {
		if t, ok := r.w.tags[id]; ok {
			tags = append(tags, articleapp.TagRef{ID: t.ID, Slug: t.Slug, Name: t.Name})
		}
	}
	return author, tags, nil
}
