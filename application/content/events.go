package content

import (
	"context"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Aggregate types of outbox messages.
const (
	AggregateArticle = "article"
	AggregateTag     = "tag"
)

// AppendEvents stores an aggregate's events in the outbox of the transaction in ctx, each with data:
// the resource as the API shows it (see the EventShapes ports of the services).
func AppendEvents(ctx context.Context, outbox application.Outbox, ids application.IDGenerator,
	aggregateType string, events []shared.Event, data any,
) error {
	if len(events) == 0 {
		return nil
	}
	msgs := make([]application.OutboxMessage, len(events))
	for i, e := range events {
		msgs[i] = application.OutboxMessage{
			ID: ids.NewID(), Type: e.Type, AggregateType: aggregateType, AggregateID: e.AggregateID,
			OccurredAt: e.OccurredAt, Data: data,
		}
	}
	return outbox.Append(ctx, msgs...)
}
