package persistence

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// Locker implements application.Locker with transaction-scoped locks.
type Locker struct{ db *DB }

// NewLocker returns the locker of db.
func NewLocker(db *DB) *Locker { return &Locker{db: db} }

// LockTx takes the lock called name until the transaction in ctx ends. On PostgreSQL it is an
// advisory lock keyed by a hash of the name, so it works across nodes. On SQLite every transaction
// begins IMMEDIATE and so already holds the database's single write lock: nothing more is needed.
func (l *Locker) LockTx(ctx context.Context, name string) error {
	if !InTx(ctx) {
		return errors.New("lock " + name + ": needs a transaction, or it would be released at once")
	}
	if l.db.Dialect != config.DialectPostgres {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	key := int64(h.Sum64()) //nolint:gosec // wrapping to a signed key is intended: any 64 bits do
	if err := l.db.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", key).Error; err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	return nil
}
