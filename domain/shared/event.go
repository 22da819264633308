package shared

import (
	"slices"
	"time"
)

// Event is something that happened to an aggregate. Aggregates record events as their methods run;
// the application service pulls them and stores them in the outbox in the same transaction.
type Event struct {
	Type        string // e.g. article.published; public API, add never rename
	AggregateID string
	OccurredAt  time.Time
}

// Events is embedded by aggregates to record and hand over their events.
type Events struct {
	pending []Event
}

// Record adds an event.
func (e *Events) Record(eventType, aggregateID string, at time.Time) {
	e.pending = append(e.pending, Event{Type: eventType, AggregateID: aggregateID, OccurredAt: at})
}

// PullEvents returns the recorded events and forgets them.
func (e *Events) PullEvents() []Event {
	out := e.pending
	e.pending = nil
	return out
}

// Recorded returns the events recorded and not pulled yet, leaving them in place.
func (e *Events) Recorded() []Event { return slices.Clone(e.pending) }
