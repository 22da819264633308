package article_test

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// memReads answers the ReadModel from the world's tables. Lists return every visible article in
// title order (paging and filters are the persistence suite's subject); it records the last query.
type memReads struct {
	w         *world
	lastQuery *articleapp.ListQuery
	counts    int // calls of CountArticles
}

// view runs fn with the tables and the world's authors, counting the call as a read when counted.
func (r *memReads) view(counted bool, fn func(t memstore.Tables)) {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	if counted {
		r.w.reads++
	}
	r.w.db.View(fn)
}

func (r *memReads) summary(t memstore.Tables, s article.State) articleapp.ArticleSummary {
	out := articleapp.ArticleSummary{
		ID: s.ID, Slug: s.Slug, Title: s.Title, Excerpt: s.Excerpt, CoverImageURL: s.CoverImageURL,
		Status: s.Status, Author: r.w.authors[s.AuthorID], PublishedAt: s.PublishedAt, ScheduledAt: s.ScheduledAt,
		TrashedAt: s.TrashedAt, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		ReadingTimeMinutes: s.ReadingTimeMinutes, Version: s.Version,
	}
	for _, id := range s.TagIDs {
		tg := t.Tags[id]
		out.Tags = append(out.Tags, articleapp.TagRef{ID: tg.ID, Slug: tg.Slug, Name: tg.Name})
	}
	return out
}

func (r *memReads) detail(t memstore.Tables, s article.State) articleapp.ArticleDetail {
	return articleapp.ArticleDetail{
		ArticleSummary: r.summary(t, s), BodyMarkdown: s.BodyMarkdown, BodyHTML: s.BodyHTML,
		MetaTitle: s.MetaTitle, MetaDescription: s.MetaDescription,
	}
}

func public(s article.State, now time.Time) bool {
	return s.Status == article.StatusPublished && s.TrashedAt == nil && !s.PublishedAt.After(now)
}

func (r *memReads) ListArticles(_ context.Context, q articleapp.ListQuery) (articleapp.Page, error) {
	page := articleapp.Page{Limit: q.Limit}
	r.view(true, func(t memstore.Tables) {
		r.lastQuery = &q
		for _, s := range t.Articles {
			if q.Visibility == articleapp.VisibilityAdmin || public(s, q.Now) {
				page.Items = append(page.Items, r.summary(t, s))
			}
		}
	})
	slices.SortFunc(page.Items, func(a, b articleapp.ArticleSummary) int { return strings.Compare(a.Title, b.Title) })
	if q.Page > 0 && q.Total != nil {
		page.Total, page.Pages = *q.Total, (*q.Total+q.Limit-1)/q.Limit
	}
	return page, nil
}

func (r *memReads) CountArticles(ctx context.Context, q articleapp.ListQuery) (int, error) {
	r.w.mu.Lock()
	r.counts++
	r.w.mu.Unlock()
	q.Page = 0
	page, err := r.ListArticles(ctx, q)
	return len(page.Items), err
}

func (r *memReads) GetArticle(_ context.Context, id string) (articleapp.ArticleDetail, error) {
	var out articleapp.ArticleDetail
	var err error = article.ErrNotFound
	r.view(false, func(t memstore.Tables) {
		if s, ok := t.Articles[id]; ok {
			out, err = r.detail(t, s), nil
		}
	})
	return out, err
}

func (r *memReads) GetPublishedArticleBySlug(_ context.Context, slug string, now time.Time) (articleapp.ArticleDetail, error) {
	var out articleapp.ArticleDetail
	var err error = article.ErrNotFound
	r.view(true, func(t memstore.Tables) {
		for _, s := range t.Articles {
			if s.Slug == slug && public(s, now) {
				out, err = r.detail(t, s), nil
			}
		}
	})
	return out, err
}

func (r *memReads) ArticleRefs(_ context.Context, authorID string, tagIDs []string) (articleapp.AuthorRef, []articleapp.TagRef, error) {
	author, ok := articleapp.AuthorRef{}, false
	tags := []articleapp.TagRef{}
	r.view(false, func(t memstore.Tables) {
		author, ok = r.w.authors[authorID]
		for _, id := range tagIDs {
			if tg, ok := t.Tags[id]; ok {
				tags = append(tags, articleapp.TagRef{ID: tg.ID, Slug: tg.Slug, Name: tg.Name})
			}
		}
	})
	if !ok {
		author = articleapp.AuthorRef{ID: authorID}
	}
	return author, tags, nil
}
