// Package content is the one home of what the content contexts (articles and tags) share: the
// cache namespaces of the public reads, which of them each event makes stale and the invalidation
// each write runs after its commit (and the worker that retries it, invalidations.go), the append
// of a change's events to the outbox, and the version conflict every stale write answers. Each
// context's service imports it instead of keeping its own copy.
package content

import (
	"context"
	"slices"

	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// Cache namespaces of the public reads. Each entry's key carries its namespace's generation, so
// bumping a generation drops every entry of the namespace on every node at once.
const (
	NSArticle  = "article"  // one published article; id = its slug
	NSArticles = "articles" // article list pages; id = the key of the normalized query
	NSTags     = "tags"     // tag list pages ("list:"…) and single tags ("slug:"+slug)
)

// allNamespaces is every namespace, in the order they are bumped.
var allNamespaces = []string{NSArticles, NSTags, NSArticle}

// Namespaces returns the namespaces whose generations a committed event of eventType bumps. It is
// the one place that knows: the fast path after a commit and the invalidation worker, which reads
// the event types back from the outbox, both ask it.
//
//   - article.*: lists and tag counts may have changed, and so may the article under its old and
//     its new slug. The article namespace's generation is bumped too: deleting the entries alone
//     would leave a window (until the delayed delete) in which a read that loaded the old row before
//     the commit fills the entry after our delete; with the generation bumped that read fills a key
//     no later reader asks for.
//   - tag.created: no article names the new tag yet, so only the tag lists changed.
//   - article.changes_saved: nothing public changed (pending changes, a draft).
//   - tag.updated, tag.deleted: every article shows its tags' names, so everything goes.
//
// An event type this does not know bumps everything: an extra bump costs a cold cache, a missing
// one a stale read.
func Namespaces(eventType string) []string {
	switch eventType {
	case tag.EventCreated:
		return []string{NSTags}
	case article.EventChangesSaved:
		// Pending changes and drafts are never public: nothing cached changed. (A draft's save
		// records article.updated too, which bumps what it always did.)
		return nil
	}
	return slices.Clone(allNamespaces)
}

// namespacesOf returns the union of the namespaces of eventTypes, in bump order.
func namespacesOf(eventTypes []string) []string {
	want := map[string]bool{}
	for _, t := range eventTypes {
		for _, ns := range Namespaces(t) {
			want[ns] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(allNamespaces), func(ns string) bool { return !want[ns] })
}

// InvalidateArticle runs after an article change committed: the namespaces of an article event,
// and the entries of the article under its old and its new slug.
func InvalidateArticle(ctx context.Context, c *cacheaside.Aside, slugs ...string) {
	c.Invalidate(ctx, Namespaces(article.EventUpdated), map[string][]string{NSArticle: slices.Compact(slugs)})
}

// InvalidateTags runs after a tag was changed or deleted.
func InvalidateTags(ctx context.Context, c *cacheaside.Aside) {
	c.Invalidate(ctx, Namespaces(tag.EventUpdated), nil)
}

// InvalidateNewTag runs after a tag was created.
func InvalidateNewTag(ctx context.Context, c *cacheaside.Aside) {
	c.Invalidate(ctx, Namespaces(tag.EventCreated), nil)
}
