package contract

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
)

// OutboxHarness is a fresh store with the outbox under test.
type OutboxHarness struct {
	Tx     application.TxManager
	Outbox application.Outbox
	// Stored returns the ids of the messages the store holds, in any order.
	Stored func(t *testing.T) []string
}

// Outbox is the contract of application.Outbox: messages are written only inside the transaction of
// the change that caused them, and commit or roll back with it.
func Outbox(t *testing.T, open func(t *testing.T) OutboxHarness) {
	t.Run("appends in the transaction of the change", func(t *testing.T) {
		t.Parallel()
		outboxAppends(t, open(t))
	})
}

func outboxAppends(t *testing.T, h OutboxHarness) {
	ctx := context.Background()
	event := func(at time.Time) application.OutboxMessage {
		return application.OutboxMessage{
			ID: newID(), Type: "tag.created", AggregateType: "tag", AggregateID: newID(), OccurredAt: at,
			Data: map[string]any{"slug": "go", "name": "Go"},
		}
	}
	if err := h.Outbox.Append(ctx, event(t0)); err == nil {
		t.Fatal("append outside a transaction was accepted")
	}
	if err := h.Outbox.Append(ctx); err != nil {
		t.Fatalf("append nothing outside a transaction: %v", err)
	}
	boom := errors.New("the change failed")
	err := h.Tx.Do(ctx, func(ctx context.Context) error {
		if err := h.Outbox.Append(ctx, event(t0)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rolled back transaction: %v", err)
	}
	for name, bad := range map[string]application.OutboxMessage{
		"no id":   {Type: "tag.created", OccurredAt: t0, Data: map[string]any{}},
		"no type": {ID: newID(), OccurredAt: t0, Data: map[string]any{}},
	} {
		if err := h.Tx.Do(ctx, func(ctx context.Context) error { return h.Outbox.Append(ctx, event(t0), bad) }); err == nil {
			t.Fatalf("a message with %s was accepted", name)
		}
	}
	first, second := event(t0.Add(time.Second)), event(t0)
	if err := h.Tx.Do(ctx, func(ctx context.Context) error { return h.Outbox.Append(ctx, first, second) }); err != nil {
		t.Fatal(err)
	}
	got, want := h.Stored(t), []string{first.ID, second.ID}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("stored %v, want only the committed messages %v", got, want)
	}
}
