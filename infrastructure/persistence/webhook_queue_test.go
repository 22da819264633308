package persistence_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestClaimDueLeasesOnlyDuePendingDeliveries(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo := persistence.NewWebhookDeliveries(db)
		e := addEndpoint(t, db)
		due := newTestDelivery(t, e.ID(), wt0)
		later := newTestDelivery(t, e.ID(), wt0.Add(time.Hour))
		done := newTestDelivery(t, e.ID(), wt0)
		if err := done.RecordSuccess(webhook.Attempt{At: wt0, StatusCode: 204}); err != nil {
			t.Fatal(err)
		}
		inTx(t, db, func(ctx context.Context) error { return repo.Add(ctx, due, later, done) })

		now, lease := wt0.Add(time.Minute), wt0.Add(2*time.Minute)
		claim := func(at time.Time) []*webhook.Delivery {
			var ds []*webhook.Delivery
			inTx(t, db, func(ctx context.Context) error {
				var err error
				ds, err = repo.ClaimDue(ctx, at, at.Add(time.Minute), 10)
				return err
			})
			return ds
		}
		got := claim(now)
		if len(got) != 1 || got[0].ID() != due.ID() {
			t.Fatalf("claimed %d deliveries, want only the due one", len(got))
		}
		if !got[0].NextAttemptAt().Equal(lease) || got[0].Version() != due.Version()+1 {
			t.Fatalf("lease: next %v version %d", got[0].NextAttemptAt(), got[0].Version())
		}
		if again := claim(now.Add(time.Second)); len(again) != 0 {
			t.Fatalf("a leased delivery was claimed again: %d", len(again))
		}
		// The worker died: after the lease the delivery is due again, and the dead worker's save fails.
		retaken := claim(lease)
		if len(retaken) != 1 || retaken[0].ID() != due.ID() {
			t.Fatalf("an expired lease was not retaken: %d", len(retaken))
		}
		stale := got[0]
		v := stale.Version()
		if err := stale.RecordSuccess(webhook.Attempt{At: now, StatusCode: 200}); err != nil {
			t.Fatal(err)
		}
		err := persistence.NewTxManager(db).Do(ctx, func(ctx context.Context) error { return repo.Save(ctx, stale, v) })
		if !errors.Is(err, shared.ErrVersionConflict) {
			t.Fatalf("save after the lease was lost: want version_conflict, got %v", err)
		}

		st, err := repo.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending != 2 || !st.OldestPending.Equal(wt0) {
			t.Fatalf("stats: %+v", st)
		}
	})
}

func TestConcurrentClaimersNeverGetTheSameDelivery(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		repo := persistence.NewWebhookDeliveries(db)
		tx := persistence.NewTxManager(db)
		e := addEndpoint(t, db)
		const total = 40
		var ds []*webhook.Delivery
		for i := range total {
			ds = append(ds, newTestDelivery(t, e.ID(), wt0.Add(time.Duration(i)*time.Millisecond)))
		}
		inTx(t, db, func(ctx context.Context) error { return repo.Add(ctx, ds...) })

		now := wt0.Add(time.Hour)
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				for {
					var got []*webhook.Delivery
					err := tx.Do(context.Background(), func(ctx context.Context) error {
						var err error
						got, err = repo.ClaimDue(ctx, now, now.Add(time.Hour), 3)
						// Hold the locks a moment so the claimers overlap.
						time.Sleep(2 * time.Millisecond)
						return err
					})
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, d := range got {
						seen[d.ID()]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(seen) != total {
			t.Fatalf("claimed %d distinct deliveries, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("delivery %s claimed %d times", id, n)
			}
		}
	})
}
