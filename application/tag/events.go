package tag

import (
	"context"

	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// EventShapes gives the data of a tag event: the tag exactly as the management API shows it, so a
// webhook payload and an API answer cannot drift apart. The HTTP layer implements it with the
// mapper its handlers use.
type EventShapes interface {
	Tag(v TagView) any
}

// appendEvents stores the tag's events with the tag as the API shows it.
func (s *Service) appendEvents(ctx context.Context, events []shared.Event, v TagView) error {
	return content.AppendEvents(ctx, s.outbox, s.ids, content.AggregateTag, events, s.shapes.Tag(v))
}
