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
)
