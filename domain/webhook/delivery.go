package webhook

import (
	"slices"
	"time"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Status is where a delivery stands.
type Status string

const (
	StatusPending   Status = "pending"   // waiting for its next attempt
	StatusDelivered Status = "delivered" // a 2xx answer was received
	StatusFailed    Status = "failed"    // the retry schedule ran out
)

// MaxResponseBody is how much of a receiver's answer an attempt keeps, in bytes.
const MaxResponseBody = 1024

// Attempt is one HTTP POST of a delivery and what came back.
type Attempt struct {
	At           time.Time
	StatusCode   int // 0 when no response arrived
	Duration     time.Duration
	Error        string // why it failed: transport error, refused target, non-2xx status
	ResponseBody string // at most MaxResponseBody bytes
}

// Succeeded reports whether the receiver took the event: a 2xx answer and no error.
func (a Attempt) Succeeded() bool { return a.Error == "" && a.StatusCode >= 200 && a.StatusCode < 300 }

// Delivery is one event on its way to one endpoint. Its event id (the outbox message id, sent as
// webhook-id) stays the same across retries so receivers can deduplicate.
type Delivery struct {
	id            string
	endpointID    string
	eventID       string
	eventType     string
	payload       []byte
	status        Status
	nextAttemptAt time.Time // zero unless pending
	attempts      []Attempt
	version       shared.Version
	createdAt     time.Time
	updatedAt     time.Time
}

// NewDelivery queues payload (the exact request body) for an endpoint, due now.
func NewDelivery(id, endpointID, eventID, eventType string, payload []byte, now time.Time) (*Delivery, error) {
	if id == "" || endpointID == "" || eventID == "" || eventType == "" || len(payload) == 0 {
		return nil, shared.New(shared.KindInternal, "delivery_invalid", "a delivery needs ids, an event type and a payload")
	}
	return &Delivery{
		id: id, endpointID: endpointID, eventID: eventID, eventType: eventType, payload: slices.Clone(payload),
		status: StatusPending, nextAttemptAt: now, version: 1, createdAt: now, updatedAt: now,
	}, nil
}

// DeliverySnapshot is a delivery as stored; RestoreDelivery rebuilds it.
type DeliverySnapshot struct {
	ID            string
	EndpointID    string
	EventID       string
	EventType     string
	Payload       []byte
	Status        Status
	NextAttemptAt time.Time
	Attempts      []Attempt
	Version       shared.Version
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RestoreDelivery rebuilds a stored delivery.
func RestoreDelivery(s DeliverySnapshot) *Delivery {
	return &Delivery{
		id: s.ID, endpointID: s.EndpointID, eventID: s.EventID, eventType: s.EventType, payload: slices.Clone(s.Payload),
		status: s.Status, nextAttemptAt: s.NextAttemptAt, attempts: slices.Clone(s.Attempts),
		version: s.Version, createdAt: s.CreatedAt, updatedAt: s.UpdatedAt,
	}
}

// State is the reverse of RestoreDelivery: the delivery as storage keeps it. It shares no slice
// with the delivery.
func (d *Delivery) State() DeliverySnapshot {
	return DeliverySnapshot{
		ID: d.id, EndpointID: d.endpointID, EventID: d.eventID, EventType: d.eventType, Payload: slices.Clone(d.payload),
		Status: d.status, NextAttemptAt: d.nextAttemptAt, Attempts: slices.Clone(d.attempts), Version: d.version,
		CreatedAt: d.createdAt, UpdatedAt: d.updatedAt,
	}
}

// RecordSuccess records a successful attempt: the delivery is done.
func (d *Delivery) RecordSuccess(a Attempt) error {
	if d.status != StatusPending || !a.Succeeded() {
		return shared.ErrInvalidTransition.WithMessage("only a pending delivery records a successful attempt")
	}
	d.record(a)
	d.status = StatusDelivered
	d.nextAttemptAt = time.Time{}
	return nil
}

// RecordFailure records a failed attempt and schedules the next one: after the n-th attempt the
// delay is schedule[n-1] (jittered when jitter is not nil). When the schedule has no entry left the
// delivery has failed for good. The schedule bounds a delivery's automatic attempts over its whole
// life, so a manual redelivery of a failed delivery is tried once.
func (d *Delivery) RecordFailure(a Attempt, schedule []time.Duration, jitter func(time.Duration) time.Duration) error {
	if d.status != StatusPending || a.Succeeded() {
		return shared.ErrInvalidTransition.WithMessage("only a pending delivery records a failed attempt")
	}
	d.record(a)
	n := len(d.attempts)
	if n > len(schedule) {
		d.status = StatusFailed
		d.nextAttemptAt = time.Time{}
		return nil
	}
	delay := schedule[n-1]
	if jitter != nil {
		delay = jitter(delay)
	}
	d.nextAttemptAt = a.At.Add(delay)
	return nil
}

// Redeliver queues a delivered or failed delivery for another attempt now.
func (d *Delivery) Redeliver(now time.Time) error {
	if d.status == StatusPending {
		return ErrDeliveryPending
	}
	d.status = StatusPending
	d.nextAttemptAt = now
	d.version++
	d.updatedAt = now
	return nil
}

func (d *Delivery) record(a Attempt) {
	a.ResponseBody = truncateUTF8(a.ResponseBody, MaxResponseBody)
	d.attempts = append(d.attempts, a)
	d.version++
	d.updatedAt = a.At
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Final reports whether the delivery will not be attempted again on its own.
func (d *Delivery) Final() bool { return d.status != StatusPending }

func (d *Delivery) ID() string               { return d.id }
func (d *Delivery) EndpointID() string       { return d.endpointID }
func (d *Delivery) EventID() string          { return d.eventID }
func (d *Delivery) EventType() string        { return d.eventType }
func (d *Delivery) Payload() []byte          { return slices.Clone(d.payload) }
func (d *Delivery) Status() Status           { return d.status }
func (d *Delivery) NextAttemptAt() time.Time { return d.nextAttemptAt }
func (d *Delivery) Attempts() []Attempt      { return slices.Clone(d.attempts) }
func (d *Delivery) AttemptCount() int        { return len(d.attempts) }
func (d *Delivery) Version() shared.Version  { return d.version }
func (d *Delivery) CreatedAt() time.Time     { return d.createdAt }
func (d *Delivery) UpdatedAt() time.Time     { return d.updatedAt }
