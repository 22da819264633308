// Package content is the one home of what the content contexts (articles and tags) share: the
// cache namespaces of the public reads and the invalidation each write runs after its commit, the
// append of a change's events to the outbox, and the version conflict every stale write answers.
// Each context's service imports it instead of keeping its own copy.
package content

import (
	"context"
	"slices"

	"github.com/inkwell-cms/inkwell/application/cacheaside"
)

// Cache namespaces of the public reads. Each entry's key carries its namespace's generation, so
// bumping a generation drops every entry of the namespace on every node at once.
const (
	NSArticle  = "article"  // one published article; id = its slug
	NSArticles = "articles" // article list pages; id = the key of the normalized query
	NSTags     = "tags"     // tag list pages ("list:"…) and single tags ("slug:"+slug)
)

// InvalidateArticle runs after an article change committed. Lists and tag counts may have changed,
// and so may the article under its old and its new slug. The article namespace's generation is
// bumped too: deleting the entries alone would leave a window (until the delayed delete) in which
// a read that loaded the old row before the commit fills the entry after our delete; with the
// generation bumped that read fills a key no later reader asks for.
func InvalidateArticle(ctx context.Context, c *cacheaside.Aside, slugs ...string) {
	c.Invalidate(ctx, []string{NSArticles, NSTags, NSArticle}, map[string][]string{NSArticle: slices.Compact(slugs)})
}

// InvalidateTags runs after a tag was changed or deleted; every article shows its tags' names, so
// every cached article and list goes too.
func InvalidateTags(ctx context.Context, c *cacheaside.Aside) {
	c.Invalidate(ctx, []string{NSArticles, NSTags, NSArticle}, nil)
}

// InvalidateNewTag runs after a tag was created: no article names it yet, so only the tag lists
// changed.
func InvalidateNewTag(ctx context.Context, c *cacheaside.Aside) {
	c.Invalidate(ctx, []string{NSTags}, nil)
}
