package tag

// Event types a tag records; they are public API (webhook event names): add, never rename.
const (
	EventCreated = "tag.created"
	EventUpdated = "tag.updated"
	EventDeleted = "tag.deleted"
)
