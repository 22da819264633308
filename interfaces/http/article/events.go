package articlehttp

import articleapp "github.com/inkwell-cms/inkwell/application/article"

// EventShapes implements articleapp.EventShapes with the handlers' own mapper: the data of an
// article event is the article exactly as an item of GET /api/v1/admin/articles shows it.
type EventShapes struct{}

// NewEventShapes returns the article event shapes.
func NewEventShapes() *EventShapes { return &EventShapes{} }

// Article is the management API's article summary.
func (*EventShapes) Article(s articleapp.ArticleSummary) any { return toAdminSummary(s) }
