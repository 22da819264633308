package article

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/content"
)

// PublishedArticle returns the published article with slug, read through the cache.
func (s *Service) PublishedArticle(ctx context.Context, slug string) (ArticleDetail, error) {
	d, err := cacheaside.Load(ctx, s.cache, content.NSArticle, slug, func(ctx context.Context) (ArticleDetail, error) {
		return s.reads.GetPublishedArticleBySlug(ctx, slug, s.clock.Now())
	})
	return d, wrap("published article "+slug, err)
}

// PublishedArticles answers a public list, read through the cache. Only published articles dated
// at or before now appear: q's visibility and time are set here, and status filters dropped.
func (s *Service) PublishedArticles(ctx context.Context, q ListQuery) (Page, error) {
	q.Visibility, q.Now = VisibilityPublic, s.clock.Now()
	q.Statuses, q.Trash = nil, TrashExcluded
	page, err := cacheaside.Load(ctx, s.cache, content.NSArticles, listKey(q), func(ctx context.Context) (Page, error) {
		return s.listArticles(ctx, q)
	})
	return page, wrap("published articles", err)
}

// listArticles reads one page; in page mode the total comes from the count cached for q's filters
// in the list namespace, so a run of distinct pages (each a cache miss) counts once per content
// generation, not once per request: every article write bumps the generation and retires it.
func (s *Service) listArticles(ctx context.Context, q ListQuery) (Page, error) {
	if q.Page > 0 {
		total, err := cacheaside.Load(ctx, s.cache, content.NSArticles, countKey(q), func(ctx context.Context) (int, error) {
			return s.reads.CountArticles(ctx, q)
		})
		if err != nil {
			return Page{}, err
		}
		q.Total = &total
	}
	return s.reads.ListArticles(ctx, q)
}

// countKey identifies the filters of q (and whose list it is), paging left out.
func countKey(q ListQuery) string {
	statuses := slices.Clone(q.Statuses)
	slices.Sort(statuses)
	filters := q
	filters.Sort, filters.Limit, filters.Cursor, filters.Page = "", 0, nil, 0
	raw, _ := json.Marshal([]any{q.Visibility, statuses, q.Trash})
	return "count:" + listKey(filters) + ":" + hex.EncodeToString(raw)
}

// PublishedArticleStamp names the current state of the public article with slug: it changes on
// every write that could change the answer. ok is false when answers must not be reused.
func (s *Service) PublishedArticleStamp(ctx context.Context, slug string) (string, bool) {
	return s.cache.Stamp(ctx, content.NSArticle, slug)
}

// PublishedArticlesStamp names the current state of every public list page.
func (s *Service) PublishedArticlesStamp(ctx context.Context) (string, bool) {
	return s.cache.Stamp(ctx, content.NSArticles, "")
}

// listKey identifies a public list query: the same question gives the same key whatever
// the order of its tags, and the time is left out (the generation bump on every write, not the
// clock, is what retires a page). It is hashed to keep keys short whatever q and the cursor hold.
func listKey(q ListQuery) string {
	tags := slices.Clone(q.TagSlugs)
	slices.Sort(tags)
	cursor := ""
	if q.Cursor != nil {
		cursor = q.Cursor.Encode()
	}
	// JSON keeps the parts apart whatever they contain (a tag slug with a comma cannot pass for two).
	raw, _ := json.Marshal([]any{slices.Compact(tags), q.AuthorSlug, q.Q, q.Sort, q.Limit, cursor, q.Page, q.Featured})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// invalidateArticle runs after an article change committed (see content.InvalidateArticle).
func (s *Service) invalidateArticle(ctx context.Context, slugs ...string) {
	content.InvalidateArticle(ctx, s.cache, slugs...)
}
