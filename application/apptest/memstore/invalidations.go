package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/content"
)

// The Outbox is also the invalidation worker's InvalidationLog, as the GORM outbox is: a message is
// pending until MarkInvalidationsApplied. Transactions run one at a time, so a claim needs no lock
// to keep another claimer off.

var _ content.InvalidationLog = (*Outbox)(nil)

func (o *Outbox) ClaimPendingInvalidations(_ context.Context, limit int) ([]content.PendingInvalidation, error) {
	t, unlock := o.db.lock()
	defer unlock()
	pending := o.pending(t)
	out := make([]content.PendingInvalidation, 0, min(limit, len(pending)))
	for _, m := range pending[:min(limit, len(pending))] {
		out = append(out, content.PendingInvalidation{ID: m.ID, Type: m.Type, OccurredAt: m.OccurredAt.UTC()})
	}
	return out, nil
}

func (o *Outbox) MarkInvalidationsApplied(_ context.Context, ids []string, at time.Time) error {
	t, unlock := o.db.lock()
	defer unlock()
	for _, id := range ids {
		if slices.ContainsFunc(t.Outbox, func(m application.OutboxMessage) bool { return m.ID == id }) {
			t.CacheApplied[id] = at.UTC()
		}
	}
	return nil
}

func (o *Outbox) PendingInvalidations(context.Context) (content.InvalidationBacklog, error) {
	t, unlock := o.db.lock()
	defer unlock()
	pending := o.pending(t)
	b := content.InvalidationBacklog{Pending: len(pending)}
	if len(pending) > 0 {
		b.Oldest = pending[0].OccurredAt.UTC()
	}
	return b, nil
}

// pending returns the messages whose invalidation is pending, oldest first (then by id), as the
// index of the real table orders them.
func (o *Outbox) pending(t *Tables) []application.OutboxMessage {
	var out []application.OutboxMessage
	for _, m := range t.Outbox {
		if _, done := t.CacheApplied[m.ID]; !done {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b application.OutboxMessage) int {
		return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}
