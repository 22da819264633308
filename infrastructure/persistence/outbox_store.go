package persistence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/inkwell-cms/inkwell/application"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// outboxMessageModel is a row of outbox_messages.
type outboxMessageModel struct {
	ID            string `gorm:"primaryKey"`
	Type          string
	AggregateType string
	AggregateID   string
	Payload       string
	OccurredAt    time.Time
	DispatchedAt  *time.Time
	// CacheAppliedAt is set once the cache accepted the invalidation of the row's event
	// (outbox_invalidations.go); a new row starts pending.
	CacheAppliedAt *time.Time
}

func (outboxMessageModel) TableName() string { return "outbox_messages" }

// outboxPayload is the webhook body, Standard Webhooks style.
type outboxPayload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Outbox implements application.Outbox (writing), the relay's EventSource and the invalidation
// worker's InvalidationLog (reading).
type Outbox struct{ db *DB }

// NewOutbox returns the outbox of db.
func NewOutbox(db *DB) *Outbox { return &Outbox{db: db} }

// ErrOutboxOutsideTx is returned by Append without a transaction: an event written apart from its
// change could commit when the change does not, or be lost when it does.
var ErrOutboxOutsideTx = errors.New("outbox: Append must run inside the transaction of the change")

// Append stores msgs in the transaction carried by ctx. The payload is
// {"type": …, "timestamp": RFC 3339 UTC, "data": msg.Data}, which becomes the webhook body verbatim.
func (o *Outbox) Append(ctx context.Context, msgs ...application.OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	if !InTx(ctx) {
		return ErrOutboxOutsideTx
	}
	ms := make([]outboxMessageModel, len(msgs))
	for i, m := range msgs {
		if m.ID == "" || m.Type == "" {
			return fmt.Errorf("outbox: append: message %d needs an id and a type", i)
		}
		at := m.OccurredAt.UTC()
		body, err := json.Marshal(outboxPayload{Type: m.Type, Timestamp: at, Data: m.Data})
		if err != nil {
			return fmt.Errorf("outbox: append %s %s: encode payload: %w", m.Type, m.ID, err)
		}
		ms[i] = outboxMessageModel{
			ID: m.ID, Type: m.Type, AggregateType: m.AggregateType, AggregateID: m.AggregateID,
			Payload: string(body), OccurredAt: at,
		}
	}
	if err := o.db.Conn(ctx).Create(&ms).Error; err != nil {
		return fmt.Errorf("outbox: append %d messages: %w", len(ms), err)
	}
	return nil
}

// ClaimUndispatched returns up to limit events not yet fanned out, oldest first, locking them for
// the caller's transaction; on PostgreSQL events another node holds are skipped.
func (o *Outbox) ClaimUndispatched(ctx context.Context, limit int) ([]webhookapp.OutboxEvent, error) {
	q := o.db.Conn(ctx).Where("dispatched_at IS NULL").Order("occurred_at, id").Limit(limit)
	if o.db.Dialect == config.DialectPostgres {
		q = q.Clauses(forUpdateSkipLocked)
	}
	var ms []outboxMessageModel
	if err := q.Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("outbox: claim: %w", err)
	}
	out := make([]webhookapp.OutboxEvent, len(ms))
	for i, m := range ms {
		out[i] = webhookapp.OutboxEvent{ID: m.ID, Type: m.Type, Payload: []byte(m.Payload), OccurredAt: m.OccurredAt.UTC()}
	}
	return out, nil
}

// MarkDispatched records that events have their deliveries.
func (o *Outbox) MarkDispatched(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := o.db.Conn(ctx).Model(&outboxMessageModel{}).Where("id IN ?", ids).Update("dispatched_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("outbox: mark %d dispatched: %w", len(ids), err)
	}
	return nil
}

var forUpdateSkipLocked = clause.Locking{Strength: clause.LockingStrengthUpdate, Options: clause.LockingOptionsSkipLocked}

// PurgeDispatched deletes up to limit events fanned out and applied to the cache before the cutoff.
func (o *Outbox) PurgeDispatched(ctx context.Context, before time.Time, limit int) (int, error) {
	res := o.db.Conn(ctx).Exec(`DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages
		WHERE dispatched_at < ? AND cache_applied_at < ? LIMIT ?)`, before.UTC(), before.UTC(), limit)
	if res.Error != nil {
		return 0, fmt.Errorf("outbox: purge dispatched before %s: %w", before.UTC().Format(time.RFC3339), res.Error)
	}
	return int(res.RowsAffected), nil
}
