package persistence

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

const pingTimeout = 5 * time.Second

type txKey struct{}

// Conn returns the transaction carried by ctx, or the pool bound to ctx: a read replica's when ctx
// is marked for one that has replayed what the read needs (see replicas.go), the primary's
// otherwise. Every repository query starts here, so repositories join whatever transaction the
// application service opened.
func (db *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	g := db.Gorm.WithContext(ctx)
	if db.replicas != nil {
		if r := db.replicas.pick(ctx); r != nil {
			g.Statement.ConnPool = r.pool
		}
	}
	return g
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// TxManager implements application.TxManager on the database.
type TxManager struct{ db *DB }

// NewTxManager returns the transaction manager of db.
func NewTxManager(db *DB) *TxManager { return &TxManager{db: db} }

// Do runs fn in a transaction carried by the context it receives; a nested call joins the outer one.
func (m *TxManager) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		return fn(ctx)
	}
	err := m.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
	if err != nil {
		// Begin and Commit errors come straight from the driver, past the GORM callbacks.
		return fmt.Errorf("transaction: %w", m.db.faults.translate(err))
	}
	return nil
}
