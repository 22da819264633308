package article

// Event types an article records; they are public API (webhook event names): add, never rename.
// Edits, scheduling, unscheduling, unarchiving and restoring from the trash are all article.updated;
// moving to the trash is article.deleted.
const (
	EventCreated     = "article.created"
	EventUpdated     = "article.updated"
	EventPublished   = "article.published"
	EventUnpublished = "article.unpublished"
	EventArchived    = "article.archived"
	EventDeleted     = "article.deleted"
	// EventChangesSaved fires when the content an editor works on was saved or dropped without
	// changing the live article: pending changes of a published or scheduled article saved or
	// discarded, or a draft saved (with article.updated), so that a preview page can refresh.
	EventChangesSaved = "article.changes_saved"
)
