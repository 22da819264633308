package tag

import "github.com/inkwell-cms/inkwell/domain/shared"

// Errors of the tag context; their codes are public API. A taken slug is shared.ErrSlugTaken.
var (
	ErrNotFound  = shared.NotFound("tag_not_found", "no tag has that id or slug")
	ErrNameTaken = shared.Conflict("tag_name_taken", "another tag already has that name (names are compared ignoring case)")
)
