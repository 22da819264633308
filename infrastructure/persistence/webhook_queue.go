package persistence

import (
	"context"
	"fmt"
	"slices"
	"time"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// ClaimDue leases up to limit due pending deliveries to the caller, oldest due first. On PostgreSQL
// rows locked by another worker's claim are skipped (SKIP LOCKED), so concurrent workers on any
// number of nodes get disjoint sets; SQLite has a single writer, so the statement alone suffices.
// The lease moves next_attempt_at to leaseUntil and bumps the version: if the worker dies, the
// delivery becomes due again at leaseUntil, and a late save by the dead worker's lease fails.
func (r *WebhookDeliveries) ClaimDue(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*webhook.Delivery, error) {
	lock := ""
	if r.db.Dialect == config.DialectPostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	query := `UPDATE webhook_deliveries SET next_attempt_at = ?, version = version + 1
		WHERE id IN (SELECT id FROM webhook_deliveries
			WHERE status = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?` + lock + `)
		RETURNING id`
	var ids []string
	if err := r.db.Conn(ctx).Raw(query, leaseUntil.UTC(), now.UTC(), limit).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("webhook delivery queue: claim: %w", err)
	}
	slices.Sort(ids) // RETURNING has no order; UUIDv7 sorts by creation
	ds, err := r.load(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("webhook delivery queue: load claimed: %w", err)
	}
	return ds, nil
}

// Stats counts the pending deliveries and finds the oldest.
func (r *WebhookDeliveries) Stats(ctx context.Context) (webhookapp.QueueStats, error) {
	conn := r.db.Conn(ctx)
	var n int64
	if err := conn.Model(&webhookDeliveryModel{}).Where("status = ?", webhook.StatusPending).Count(&n).Error; err != nil {
		return webhookapp.QueueStats{}, fmt.Errorf("webhook delivery queue: stats: %w", err)
	}
	st := webhookapp.QueueStats{Pending: int(n)}
	if n == 0 {
		return st, nil
	}
	// A plain column (not MIN()) keeps its declared type, so SQLite returns a time, not a string.
	var oldest []time.Time
	if err := conn.Model(&webhookDeliveryModel{}).Where("status = ?", webhook.StatusPending).
		Order("created_at").Limit(1).Pluck("created_at", &oldest).Error; err != nil {
		return webhookapp.QueueStats{}, fmt.Errorf("webhook delivery queue: stats: %w", err)
	}
	if len(oldest) > 0 {
		st.OldestPending = oldest[0].UTC()
	}
	return st, nil
}
