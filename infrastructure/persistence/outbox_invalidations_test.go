package persistence_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// Two nodes claiming pending invalidations at once share them: the second skips the rows the first
// holds, and gets them once the first rolled back (the cache refused).
func TestPendingInvalidationClaimSkipsRowsAnotherNodeHolds(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		if db.Dialect != "postgres" {
			t.Skip("SQLite has a single writer: a second claimer waits instead of skipping")
		}
		outbox := persistence.NewOutbox(db)
		tx := persistence.NewTxManager(db)
		a, b := tagEvent(wt0), tagEvent(wt0.Add(time.Second))
		inTx(t, db, func(ctx context.Context) error { return outbox.Append(ctx, a, b) })
		held, release := make(chan struct{}), make(chan struct{})
		refused := errors.New("the cache refused")
		done := make(chan error, 1)
		go func() {
			done <- tx.Do(context.Background(), func(ctx context.Context) error {
				defer close(held)
				got, err := outbox.ClaimPendingInvalidations(ctx, 1)
				if err != nil || len(got) != 1 || got[0].ID != a.ID {
					return errors.Join(err, errors.New("the first claimer did not get the oldest row"))
				}
				held <- struct{}{}
				<-release
				return refused
			})
		}()
		<-held
		inTx(t, db, func(ctx context.Context) error {
			got, err := outbox.ClaimPendingInvalidations(ctx, 10)
			if err == nil && (len(got) != 1 || got[0].ID != b.ID) {
				t.Errorf("the second claimer got %+v, want only the unlocked row %s", got, b.ID)
			}
			if err == nil {
				err = outbox.MarkInvalidationsApplied(ctx, []string{b.ID}, wt0.Add(time.Minute))
			}
			return err
		})
		close(release)
		if err := <-done; !errors.Is(err, refused) {
			t.Fatal(err)
		}
		inTx(t, db, func(ctx context.Context) error {
			got, err := outbox.ClaimPendingInvalidations(ctx, 10)
			if err == nil && (len(got) != 1 || got[0].ID != a.ID) {
				t.Errorf("after the first claimer rolled back: %+v, want %s pending again", got, a.ID)
			}
			return err
		})
	})
}

// Rows written before the migration that adds cache_applied_at are not pending: their invalidation
// was applied (or expired) long ago, and a worker must not flush the cache for the whole history.
func TestOutboxRowsFromBeforeTheMigrationAreNotPending(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		m, err := persistence.NewMigrator(db)
		if err != nil {
			t.Fatal(err)
		}
		// Walk down whatever later migrations exist until 00006 (the one adding the column) is undone.
		for step := 0; ; step++ {
			st, err := m.Down(ctx)
			if err != nil || step > 50 {
				t.Fatalf("down to before the invalidation column: %+v, %v", st, err)
			}
			if st.Name == "00006_outbox_cache_invalidation.sql" {
				break
			}
		}
		if err := db.Conn(ctx).Exec(`INSERT INTO outbox_messages (id, type, aggregate_type, aggregate_id, payload, occurred_at)
			VALUES (?, 'tag.created', 'tag', ?, '{}', ?)`, newID(), newID(), wt0).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		outbox := persistence.NewOutbox(db)
		fresh := tagEvent(wt0.Add(time.Second))
		inTx(t, db, func(ctx context.Context) error { return outbox.Append(ctx, fresh) })
		b, err := outbox.PendingInvalidations(ctx)
		if err != nil || b.Pending != 1 || !b.Oldest.Equal(fresh.OccurredAt) {
			t.Fatalf("backlog %+v (%v), want only the row written after the migration", b, err)
		}
	})
}
