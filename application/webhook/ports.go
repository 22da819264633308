// Package webhook holds the webhook use cases: the admin's endpoint management (Service) and the
// relay worker that turns outbox events into signed, retried deliveries (Relay).
package webhook

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// URLGuard refuses targets the server must not call (SSRF): it answers webhook.URLRefused for a URL
// whose host resolves to a loopback, private, link-local or otherwise internal address.
type URLGuard interface {
	CheckURL(ctx context.Context, rawURL string) error
}

// OutboxEvent is a stored event waiting to be fanned out to the endpoints.
type OutboxEvent struct {
	ID         string // the webhook-id receivers deduplicate by
	Type       string
	Payload    []byte // the exact request body
	OccurredAt time.Time
}

// EventSource reads the outbox. Both calls run inside the caller's transaction: ClaimUndispatched
// locks the events it returns (skipping events another node has locked), so a node that commits
// their deliveries and MarkDispatched in that transaction fans each event out exactly once.
// PurgeDispatched deletes up to limit events dispatched before the cutoff whose cache invalidation
// is applied too (the outbox rows serve both), and reports how many went.
type EventSource interface {
	ClaimUndispatched(ctx context.Context, limit int) ([]OutboxEvent, error)
	MarkDispatched(ctx context.Context, ids []string, at time.Time) error
	PurgeDispatched(ctx context.Context, before time.Time, limit int) (int, error)
}

// QueueStats describes the pending deliveries.
type QueueStats struct {
	Pending       int
	OldestPending time.Time // creation time of the oldest pending delivery; zero when none
}

// DeliveryQueue hands due deliveries to relay workers. ClaimDue takes up to limit pending deliveries
// due at now, ones no other worker holds, and leases them by moving their next attempt to
// leaseUntil and bumping their version: a worker that crashes loses its lease and another retries.
// SaveAttempts writes a batch of deliveries whose attempts were just recorded, in a few statements,
// each only if its stored version is still the expected one. PurgeFinished deletes up to limit
// delivered or failed deliveries last changed before the cutoff, with their attempts.
type DeliveryQueue interface {
	ClaimDue(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*webhook.Delivery, error)
	SaveAttempts(ctx context.Context, batch []Recorded) (SaveOutcome, error)
	PurgeFinished(ctx context.Context, before time.Time, limit int) (int, error)
	Stats(ctx context.Context) (QueueStats, error)
}

// Recorded is a delivery with a new attempt and the version it was claimed at.
type Recorded struct {
	Delivery *webhook.Delivery
	Expected shared.Version
}

// SaveOutcome names the deliveries of a batch that were not saved: Stale ones changed since the
// claim (the lease ran out and another worker took them), Gone ones were deleted with their endpoint.
type SaveOutcome struct {
	Stale map[string]bool
	Gone  map[string]bool
}

// Message is one signed POST to make.
type Message struct {
	EventID string // sent as webhook-id
	URL     string
	Secret  webhook.Secret
	Payload []byte
}

// Sender makes one delivery attempt and reports what happened; it does not return errors, because
// every failure (refused target, timeout, non-2xx) is an attempt outcome to record.
type Sender interface {
	Send(ctx context.Context, m Message) webhook.Attempt
}

// Metrics is what the relay reports.
type Metrics interface {
	AttemptMade(succeeded bool, d time.Duration)
	DeliveryFinished(status webhook.Status)
	QueueObserved(s QueueStats, now time.Time)
}
