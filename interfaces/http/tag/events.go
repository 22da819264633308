package taghttp

import tagapp "github.com/inkwell-cms/inkwell/application/tag"

// EventShapes implements tagapp.EventShapes with the handlers' own mapper: the data of a tag event
// is the tag exactly as GET /api/v1/admin/tags/{id} answers it.
type EventShapes struct{}

// NewEventShapes returns the tag event shapes.
func NewEventShapes() *EventShapes { return &EventShapes{} }

// Tag is the management API's tag.
func (*EventShapes) Tag(v tagapp.TagView) any { return toAdmin(v) }
