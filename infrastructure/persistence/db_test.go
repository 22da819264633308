package persistence_test

import (
	"context"
	"errors"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestMigrationsGoUpDownAndUpAgain(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		m, err := persistence.NewMigrator(db)
		if err != nil {
			t.Fatal(err)
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if !s.Applied {
				t.Fatalf("migration %d %s not applied after Up", s.Version, s.Name)
			}
		}
		for range st {
			if _, err := m.Down(ctx); err != nil {
				t.Fatalf("down: %v", err)
			}
		}
		n, err := m.Up(ctx)
		if err != nil || n != len(st) {
			t.Fatalf("up again applied %d of %d: %v", n, len(st), err)
		}
		if n, err := m.Up(ctx); err != nil || n != 0 {
			t.Fatalf("a second up applied %d: %v", n, err)
		}
	})
}

func TestTxManagerCommitsRollsBackAndJoinsNestedCalls(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		tx := persistence.NewTxManager(db)
		insert := func(ctx context.Context, id, email string) error {
			return db.Conn(ctx).Exec(`INSERT INTO users (id, name, slug, email, role, created_at, updated_at)
				VALUES (?, 'n', ?, ?, 'viewer', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, id, email).Error
		}
		count := func() int64 {
			var n int64
			if err := db.Conn(ctx).Raw("SELECT COUNT(*) FROM users").Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		boom := errors.New("boom")
		err := tx.Do(ctx, func(ctx context.Context) error {
			if err := insert(ctx, "0190a5c0-0000-7000-8000-000000000001", "a@example.com"); err != nil {
				return err
			}
			return tx.Do(ctx, func(ctx context.Context) error {
				if !persistence.InTx(ctx) {
					t.Error("nested call has no transaction")
				}
				return boom
			})
		})
		if !errors.Is(err, boom) {
			t.Fatalf("want boom, got %v", err)
		}
		if n := count(); n != 0 {
			t.Fatalf("rolled back insert is visible: %d rows", n)
		}
		if err := tx.Do(ctx, func(ctx context.Context) error {
			return insert(ctx, "0190a5c0-0000-7000-8000-000000000002", "b@example.com")
		}); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 1 {
			t.Fatalf("want 1 committed row, got %d", n)
		}
		err = insert(ctx, "0190a5c0-0000-7000-8000-000000000003", "b@example.com")
		if _, ok := persistence.UniqueViolation(err); !ok {
			t.Fatalf("duplicate email: want a unique violation, got %v", err)
		}
	})
}
