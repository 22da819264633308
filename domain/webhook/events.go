// Package webhook holds webhook endpoints (where events go, signed with their secret) and deliveries
// (one event on its way to one endpoint, with every attempt recorded). Pure Go: the HTTP sender, the
// SSRF guard and the relay live outside and speak to these types.
package webhook

import "slices"

// Event types are public API: receivers switch on them. Add, never rename.
const (
	EventArticleCreated     = "article.created"
	EventArticleUpdated     = "article.updated"
	EventArticlePublished   = "article.published"
	EventArticleUnpublished = "article.unpublished"
	EventArticleArchived    = "article.archived"
	EventArticleDeleted     = "article.deleted"
	// EventArticleChangesSaved: pending changes of a live article or a draft were saved (or
	// discarded), so a preview page can refresh.
	EventArticleChangesSaved = "article.changes_saved"
	EventTagCreated          = "tag.created"
	EventTagUpdated          = "tag.updated"
	EventTagDeleted          = "tag.deleted"
)

// EventTypes is the catalogue an endpoint may subscribe to, in display order.
var EventTypes = []string{
	EventArticleCreated, EventArticleUpdated, EventArticlePublished, EventArticleUnpublished,
	EventArticleArchived, EventArticleDeleted, EventArticleChangesSaved, EventTagCreated, EventTagUpdated, EventTagDeleted,
}

// IsEventType reports whether t is in the catalogue.
func IsEventType(t string) bool { return slices.Contains(EventTypes, t) }
