package persistence_test

import (
	"context"
	"testing"
	"time"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestSaveAttemptsWritesABatchAndNamesStaleAndGoneDeliveries(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo := persistence.NewWebhookDeliveries(db)
		e := addEndpoint(t, db)
		ok, retry, stale, gone := newTestDelivery(t, e.ID(), wt0), newTestDelivery(t, e.ID(), wt0),
			newTestDelivery(t, e.ID(), wt0), newTestDelivery(t, e.ID(), wt0)
		inTx(t, db, func(ctx context.Context) error { return repo.Add(ctx, ok, retry, stale, gone) })
		var claimed []*webhook.Delivery
		inTx(t, db, func(ctx context.Context) error {
			var err error
			claimed, err = repo.ClaimDue(ctx, wt0, wt0.Add(time.Minute), 10)
			return err
		})
		if len(claimed) != 4 {
			t.Fatalf("claimed %d", len(claimed))
		}
		// Another worker's claim took "stale" after the lease ran out; "gone" went with its endpoint.
		inTx(t, db, func(ctx context.Context) error {
			if err := db.Conn(ctx).Exec("UPDATE webhook_deliveries SET version = version + 1 WHERE id = ?", stale.ID()).Error; err != nil {
				return err
			}
			return db.Conn(ctx).Exec("DELETE FROM webhook_deliveries WHERE id = ?", gone.ID()).Error
		})
		var batch []webhookapp.Recorded
		for _, d := range claimed {
			v := d.Version()
			var err error
			if d.ID() == retry.ID() {
				err = d.RecordFailure(webhook.Attempt{At: wt0, StatusCode: 503, Error: "receiver answered 503"}, []time.Duration{time.Minute}, nil)
			} else {
				err = d.RecordSuccess(webhook.Attempt{At: wt0, StatusCode: 200, Duration: 3 * time.Millisecond})
			}
			if err != nil {
				t.Fatal(err)
			}
			batch = append(batch, webhookapp.Recorded{Delivery: d, Expected: v})
		}
		var out webhookapp.SaveOutcome
		inTx(t, db, func(ctx context.Context) error {
			var err error
			out, err = repo.SaveAttempts(ctx, batch)
			return err
		})
		if len(out.Stale) != 1 || !out.Stale[stale.ID()] || len(out.Gone) != 1 || !out.Gone[gone.ID()] {
			t.Fatalf("outcome: stale %v gone %v", out.Stale, out.Gone)
		}
		got, err := repo.Get(ctx, ok.ID())
		if err != nil {
			t.Fatal(err)
		}
		if got.Status() != webhook.StatusDelivered || got.AttemptCount() != 1 || got.Attempts()[0].StatusCode != 200 {
			t.Fatalf("delivered one: %+v", got.State())
		}
		got, err = repo.Get(ctx, retry.ID())
		if err != nil {
			t.Fatal(err)
		}
		if got.Status() != webhook.StatusPending || got.AttemptCount() != 1 || !got.NextAttemptAt().Equal(wt0.Add(time.Minute)) ||
			got.Attempts()[0].Error != "receiver answered 503" {
			t.Fatalf("retried one: %+v", got.State())
		}
		got, err = repo.Get(ctx, stale.ID())
		if err != nil {
			t.Fatal(err)
		}
		if got.Status() != webhook.StatusPending || got.AttemptCount() != 0 {
			t.Fatalf("a stale save changed the row: %+v", got.State())
		}
	})
}

func TestPurgeRemovesOnlyOldFinishedDeliveriesAndFullyAppliedEvents(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo, outbox := persistence.NewWebhookDeliveries(db), persistence.NewOutbox(db)
		e := addEndpoint(t, db)
		oldDone, oldPending, newDone := newTestDelivery(t, e.ID(), wt0), newTestDelivery(t, e.ID(), wt0), newTestDelivery(t, e.ID(), wt0)
		for d, at := range map[*webhook.Delivery]time.Time{oldDone: wt0, newDone: wt0.Add(48 * time.Hour)} {
			if err := d.RecordSuccess(webhook.Attempt{At: at, StatusCode: 200}); err != nil {
				t.Fatal(err)
			}
		}
		inTx(t, db, func(ctx context.Context) error { return repo.Add(ctx, oldDone, oldPending, newDone) })

		applied, notApplied, notDispatched, recent := tagEvent(wt0), tagEvent(wt0), tagEvent(wt0), tagEvent(wt0)
		inTx(t, db, func(ctx context.Context) error { return outbox.Append(ctx, applied, notApplied, notDispatched, recent) })
		inTx(t, db, func(ctx context.Context) error {
			if err := outbox.MarkDispatched(ctx, []string{applied.ID, notApplied.ID}, wt0); err != nil {
				return err
			}
			if err := outbox.MarkDispatched(ctx, []string{recent.ID}, wt0.Add(48*time.Hour)); err != nil {
				return err
			}
			if err := outbox.MarkInvalidationsApplied(ctx, []string{applied.ID, notDispatched.ID}, wt0); err != nil {
				return err
			}
			return outbox.MarkInvalidationsApplied(ctx, []string{recent.ID}, wt0.Add(48*time.Hour))
		})

		cutoff := wt0.Add(24 * time.Hour)
		var nd, ne int
		inTx(t, db, func(ctx context.Context) error {
			var err error
			if nd, err = repo.PurgeFinished(ctx, cutoff, 10); err != nil {
				return err
			}
			ne, err = outbox.PurgeDispatched(ctx, cutoff, 10)
			return err
		})
		if nd != 1 || ne != 1 {
			t.Fatalf("purged %d deliveries and %d events, want 1 and 1", nd, ne)
		}
		if _, err := repo.Get(ctx, oldDone.ID()); err == nil {
			t.Fatal("the old finished delivery is still there")
		}
		var attempts int64
		if err := db.Conn(ctx).Table("webhook_delivery_attempts").Where("delivery_id = ?", oldDone.ID()).Count(&attempts).Error; err != nil || attempts != 0 {
			t.Fatalf("attempts of a purged delivery: %d %v", attempts, err)
		}
		for _, d := range []*webhook.Delivery{oldPending, newDone} {
			if _, err := repo.Get(ctx, d.ID()); err != nil {
				t.Fatalf("kept delivery %s: %v", d.ID(), err)
			}
		}
		var left []string
		if err := db.Conn(ctx).Table("outbox_messages").Order("id").Pluck("id", &left).Error; err != nil {
			t.Fatal(err)
		}
		if len(left) != 3 || contains(left, applied.ID) {
			t.Fatalf("outbox after purge: %v (purged should be %s)", left, applied.ID)
		}
	})
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
