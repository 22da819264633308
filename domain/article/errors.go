package article

import "github.com/inkwell-cms/inkwell/domain/shared"

// Errors of the article context; their codes are public API. A taken slug is shared.ErrSlugTaken and
// a workflow action not allowed from the current status is shared.ErrInvalidTransition.
var (
	ErrNotFound         = shared.NotFound("article_not_found", "no article has that id")
	ErrRevisionNotFound = shared.NotFound("revision_not_found", "the article has no revision with that number")
	// ErrTrashed refuses every change but RestoreFromTrash to an article in the trash. It is a
	// conflict rather than a not-found so that editors learn why and what to do.
	ErrTrashed    = shared.Conflict("article_trashed", "the article is in the trash; restore it before changing it")
	ErrNotTrashed = shared.Conflict("article_not_trashed", "the article is not in the trash")
	// ErrNoPendingChanges refuses publishing, discarding or scheduling changes that do not exist.
	ErrNoPendingChanges = shared.Conflict("no_pending_changes", "the article has no pending changes; edit the published article first")
)
