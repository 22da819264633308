package persistence_test

import (
	"context"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestLockerNeedsATransaction(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		l := persistence.NewLocker(db)
		if err := l.LockTx(context.Background(), "x"); err == nil {
			t.Fatal("a lock outside a transaction was taken")
		}
		err := persistence.NewTxManager(db).Do(context.Background(), func(ctx context.Context) error {
			return l.LockTx(ctx, "x")
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
