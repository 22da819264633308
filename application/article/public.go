package article

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/inkwell-cms/inkwell/application/cacheaside"
)

// Cache namespaces of the public reads. Each entry's key carries its namespace's generation, so
// bumping a generation drops every entry of the namespace on every node at once.
const (
	nsArticle  = "article"  // one published article; id = its slug
	nsArticles = "articles" // list pages; id = listKey of the normalized query
	nsTags     = "tags"     // the tag list ("all") and single tags ("slug:"+slug)
)

// PublishedArticle returns the published article with slug, read through the cache.
func (s *Service) PublishedArticle(ctx context.Context, slug string) (ArticleDetail, error) {
	d, err := cacheaside.Load(ctx, s.cache, nsArticle, slug, func(ctx context.Context) (ArticleDetail, error) {
		return s.reads.GetPublishedArticleBySlug(ctx, slug, s.clock.Now())
	})
	return d, wrap("published article "+slug, err)
}

// PublishedArticles answers a public list, read through the cache. Only published articles dated
// at or before now appear: q's visibility and time are set here, and status filters dropped.
func (s *Service) PublishedArticles(ctx context.Context, q ListQuery) (Page, error) {
	q.Visibility, q.Now = VisibilityPublic, s.clock.Now()
	q.Statuses, q.Trash = nil, TrashExcluded
	page, err := cacheaside.Load(ctx, s.cache, nsArticles, listKey(q), func(ctx context.Context) (Page, error) {
		return s.reads.ListArticles(ctx, q)
	})
	return page, wrap("published articles", err)
}

// PublicTags returns every tag with its count of public articles, read through the cache.
func (s *Service) PublicTags(ctx context.Context) ([]TagView, error) {
	tags, err := cacheaside.Load(ctx, s.cache, nsTags, "all", func(ctx context.Context) ([]TagView, error) {
		return s.reads.ListTags(ctx, s.clock.Now())
	})
	return tags, wrap("public tags", err)
}

// PublicTag returns the tag with slug, read through the cache.
func (s *Service) PublicTag(ctx context.Context, slug string) (TagView, error) {
	t, err := cacheaside.Load(ctx, s.cache, nsTags, "slug:"+slug, func(ctx context.Context) (TagView, error) {
		return s.reads.GetTagBySlug(ctx, slug, s.clock.Now())
	})
	return t, wrap("public tag "+slug, err)
}

// PublishedArticleStamp names the current state of the public article with slug: it changes on
// every write that could change the answer. ok is false when answers must not be reused.
func (s *Service) PublishedArticleStamp(ctx context.Context, slug string) (string, bool) {
	return s.cache.Stamp(ctx, nsArticle, slug)
}

// PublishedArticlesStamp names the current state of every public list page.
func (s *Service) PublishedArticlesStamp(ctx context.Context) (string, bool) {
	return s.cache.Stamp(ctx, nsArticles, "")
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
	raw, _ := json.Marshal([]any{slices.Compact(tags), q.AuthorSlug, q.Q, q.Sort, q.Limit, cursor, q.Page})
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// invalidateArticle runs after an article change committed. Lists and tag counts may have changed,
// and so may the article under its old and its new slug. The article namespace's generation is
// bumped too: deleting the entries alone would leave a window (until the delayed delete) in which
// a read that loaded the old row before the commit fills the entry after our delete; with the
// generation bumped that read fills a key no later reader asks for.
func (s *Service) invalidateArticle(ctx context.Context, slugs ...string) {
	s.cache.Invalidate(ctx, []string{nsArticles, nsTags, nsArticle}, map[string][]string{nsArticle: slices.Compact(slugs)})
}

// invalidateTags runs after a tag change committed; every article shows its tags' names, so every
// cached article and list goes too.
func (s *Service) invalidateTags(ctx context.Context) {
	s.cache.Invalidate(ctx, []string{nsArticles, nsTags, nsArticle}, nil)
}
