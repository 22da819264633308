package persistence

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// The outbox row of every write is also the record of the cache invalidation the write needs:
// cache_applied_at is NULL until the cache accepted it (see content.Invalidator).

var _ content.InvalidationLog = (*Outbox)(nil)

// ClaimPendingInvalidations returns up to limit events whose invalidation is pending, oldest first,
// locked for the caller's transaction; on PostgreSQL events another node holds are skipped. The
// relay's claim of the same rows skips them too while they are held, which delays their webhooks
// by at most one relay poll: the claim is held only while the cache answers.
func (o *Outbox) ClaimPendingInvalidations(ctx context.Context, limit int) ([]content.PendingInvalidation, error) {
	q := o.db.Conn(ctx).Select("id", "type", "occurred_at").Where("cache_applied_at IS NULL").
		Order("occurred_at, id").Limit(limit)
	if o.db.Dialect == config.DialectPostgres {
		q = q.Clauses(forUpdateSkipLocked)
	}
	var ms []outboxMessageModel
	if err := q.Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("outbox: claim pending invalidations: %w", err)
	}
	out := make([]content.PendingInvalidation, len(ms))
	for i, m := range ms {
		out[i] = content.PendingInvalidation{ID: m.ID, Type: m.Type, OccurredAt: m.OccurredAt.UTC()}
	}
	return out, nil
}

// MarkInvalidationsApplied records that the cache accepted the invalidations of ids.
func (o *Outbox) MarkInvalidationsApplied(ctx context.Context, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := o.db.Conn(ctx).Model(&outboxMessageModel{}).Where("id IN ?", ids).Update("cache_applied_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("outbox: mark %d invalidations applied: %w", len(ids), err)
	}
	return nil
}

// PendingInvalidations counts the events whose invalidation is pending and finds the oldest; both
// read the partial index of pending rows.
func (o *Outbox) PendingInvalidations(ctx context.Context) (content.InvalidationBacklog, error) {
	pending := func() *gorm.DB {
		return o.db.Conn(ctx).Model(&outboxMessageModel{}).Where("cache_applied_at IS NULL")
	}
	var n int64
	if err := pending().Count(&n).Error; err != nil {
		return content.InvalidationBacklog{}, fmt.Errorf("outbox: count pending invalidations: %w", err)
	}
	b := content.InvalidationBacklog{Pending: int(n)}
	if n == 0 {
		return b, nil
	}
	// A plain column (not MIN()) keeps its declared type, so SQLite returns a time, not a string.
	var oldest []time.Time
	if err := pending().Order("occurred_at").Limit(1).Pluck("occurred_at", &oldest).Error; err != nil {
		return content.InvalidationBacklog{}, fmt.Errorf("outbox: oldest pending invalidation: %w", err)
	}
	if len(oldest) > 0 {
		b.Oldest = oldest[0].UTC()
	}
	return b, nil
}
