package contract

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/content"
)

// InvalidationLogHarness is a fresh store with the outbox that records writes' invalidations.
type InvalidationLogHarness struct {
	Tx     application.TxManager
	Outbox application.Outbox
	Log    content.InvalidationLog
}

// InvalidationLog is the contract of content.InvalidationLog: every committed outbox message is a
// pending invalidation from its commit until it is marked applied; claims give the oldest first, and
// a mark rolled back with its transaction leaves them pending.
func InvalidationLog(t *testing.T, open func(t *testing.T) InvalidationLogHarness) {
	t.Run("a committed message is pending until marked applied", func(t *testing.T) {
		t.Parallel()
		invalidationsPendUntilApplied(t, open(t))
	})
	t.Run("a rolled back mark leaves the invalidations pending", func(t *testing.T) {
		t.Parallel()
		invalidationMarkRollsBack(t, open(t))
	})
}

func invalidationsPendUntilApplied(t *testing.T, h InvalidationLogHarness) {
	ctx := context.Background()
	if b := backlog(t, h); b.Pending != 0 || !b.Oldest.IsZero() {
		t.Fatalf("empty outbox: backlog %+v, want none", b)
	}
	msg := func(typ string, at time.Time) application.OutboxMessage {
		return application.OutboxMessage{ID: newID(), Type: typ, AggregateType: "tag", AggregateID: newID(), OccurredAt: at,
			Data: map[string]any{}}
	}
	third, first, second := msg("tag.updated", t0.Add(2*time.Second)), msg("tag.created", t0), msg("article.updated", t0.Add(time.Second))
	if err := h.Tx.Do(ctx, func(ctx context.Context) error { return h.Outbox.Append(ctx, third, first, second) }); err != nil {
		t.Fatal(err)
	}
	if b := backlog(t, h); b.Pending != 3 || !b.Oldest.Equal(t0) {
		t.Fatalf("backlog %+v, want 3 pending since %s", b, t0)
	}
	claimed := claim(t, h, 2)
	want := []content.PendingInvalidation{
		{ID: first.ID, Type: "tag.created", OccurredAt: t0},
		{ID: second.ID, Type: "article.updated", OccurredAt: t0.Add(time.Second)},
	}
	if !slices.EqualFunc(claimed, want, samePending) {
		t.Fatalf("claimed %+v, want the two oldest %+v", claimed, want)
	}
	if err := h.Tx.Do(ctx, func(ctx context.Context) error {
		return h.Log.MarkInvalidationsApplied(ctx, []string{first.ID, second.ID}, t0.Add(time.Minute))
	}); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, h, 10); len(got) != 1 || got[0].ID != third.ID {
		t.Fatalf("after marking two applied, claimed %+v, want only %s", got, third.ID)
	}
	if b := backlog(t, h); b.Pending != 1 || !b.Oldest.Equal(third.OccurredAt) {
		t.Fatalf("backlog %+v, want 1 pending since %s", b, third.OccurredAt)
	}
	if err := h.Tx.Do(ctx, func(ctx context.Context) error { return h.Log.MarkInvalidationsApplied(ctx, nil, t0) }); err != nil {
		t.Fatalf("mark nothing: %v", err)
	}
}

func invalidationMarkRollsBack(t *testing.T, h InvalidationLogHarness) {
	ctx := context.Background()
	m := application.OutboxMessage{ID: newID(), Type: "article.published", AggregateType: "article", AggregateID: newID(),
		OccurredAt: t0, Data: map[string]any{}}
	if err := h.Tx.Do(ctx, func(ctx context.Context) error { return h.Outbox.Append(ctx, m) }); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("the cache refused")
	err := h.Tx.Do(ctx, func(ctx context.Context) error {
		got, err := h.Log.ClaimPendingInvalidations(ctx, 10)
		if err != nil || len(got) != 1 {
			return errors.Join(err, errors.New("the pending invalidation was not claimed"))
		}
		if err := h.Log.MarkInvalidationsApplied(ctx, []string{got[0].ID}, t0); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatal(err)
	}
	if got := claim(t, h, 10); len(got) != 1 || got[0].ID != m.ID {
		t.Fatalf("after a rolled back mark, claimed %+v, want %s still pending", got, m.ID)
	}
}

func claim(t *testing.T, h InvalidationLogHarness, limit int) []content.PendingInvalidation {
	t.Helper()
	var got []content.PendingInvalidation
	if err := h.Tx.Do(context.Background(), func(ctx context.Context) error {
		var err error
		got, err = h.Log.ClaimPendingInvalidations(ctx, limit)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func backlog(t *testing.T, h InvalidationLogHarness) content.InvalidationBacklog {
	t.Helper()
	b, err := h.Log.PendingInvalidations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func samePending(a, b content.PendingInvalidation) bool {
	return a.ID == b.ID && a.Type == b.Type && a.OccurredAt.Equal(b.OccurredAt)
}
