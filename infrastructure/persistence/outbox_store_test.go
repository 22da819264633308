package persistence_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func tagEvent(at time.Time) application.OutboxMessage {
	return application.OutboxMessage{
		ID: newID(), Type: "tag.created", AggregateType: "tag", AggregateID: newID(), OccurredAt: at,
		Data: map[string]any{"slug": "go", "name": "Go"},
	}
}

func TestOutboxAppendsInTheTransactionOfTheChange(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		outbox := persistence.NewOutbox(db)
		tx := persistence.NewTxManager(db)
		if err := outbox.Append(ctx, tagEvent(wt0)); !errors.Is(err, persistence.ErrOutboxOutsideTx) {
			t.Fatalf("append outside a transaction: %v", err)
		}
		boom := errors.New("the change failed")
		err := tx.Do(ctx, func(ctx context.Context) error {
			if err := outbox.Append(ctx, tagEvent(wt0)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		first, second := tagEvent(wt0.Add(time.Second)), tagEvent(wt0)
		inTx(t, db, func(ctx context.Context) error { return outbox.Append(ctx, first, second) })

		var events []string
		var payloads [][]byte
		inTx(t, db, func(ctx context.Context) error {
			got, err := outbox.ClaimUndispatched(ctx, 10)
			for _, e := range got {
				events = append(events, e.ID)
				payloads = append(payloads, e.Payload)
			}
			return err
		})
		if len(events) != 2 || events[0] != second.ID || events[1] != first.ID {
			t.Fatalf("claimed %v, want the committed events oldest first (the rolled back one never)", events)
		}
		want := `{"type":"tag.created","timestamp":"2025-03-01T12:00:00.123456Z","data":{"name":"Go","slug":"go"}}`
		if string(payloads[0]) != want {
			t.Fatalf("payload:\n got %s\nwant %s", payloads[0], want)
		}
		var body struct{ Type, Timestamp string }
		if err := json.Unmarshal(payloads[1], &body); err != nil || body.Type != "tag.created" {
			t.Fatalf("payload %s: %v", payloads[1], err)
		}

		inTx(t, db, func(ctx context.Context) error { return outbox.MarkDispatched(ctx, events[:1], wt0.Add(time.Minute)) })
		inTx(t, db, func(ctx context.Context) error {
			got, err := outbox.ClaimUndispatched(ctx, 10)
			if err == nil && (len(got) != 1 || got[0].ID != first.ID) {
				t.Errorf("after dispatching one: %d left", len(got))
			}
			return err
		})
	})
}

func TestOutboxClaimSkipsEventsAnotherNodeHolds(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		if db.Dialect != "postgres" {
			t.Skip("SQLite has a single writer: a second claimer waits instead of skipping")
		}
		outbox := persistence.NewOutbox(db)
		tx := persistence.NewTxManager(db)
		a, b := tagEvent(wt0), tagEvent(wt0.Add(time.Second))
		inTx(t, db, func(ctx context.Context) error { return outbox.Append(ctx, a, b) })
		held := make(chan struct{})
		release := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- tx.Do(context.Background(), func(ctx context.Context) error {
				got, err := outbox.ClaimUndispatched(ctx, 1)
				if err != nil || len(got) != 1 || got[0].ID != a.ID {
					close(held)
					return errors.Join(err, errors.New("the first claimer did not get the oldest event"))
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		inTx(t, db, func(ctx context.Context) error {
			got, err := outbox.ClaimUndispatched(ctx, 10)
			if err == nil && (len(got) != 1 || got[0].ID != b.ID) {
				t.Errorf("the second claimer got %d events, want only the unlocked one", len(got))
			}
			return err
		})
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
