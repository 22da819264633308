// Package memstore is an in-memory database behind fakes of the storage ports: the article, tag,
// identity and webhook repositories, the outbox and the idempotency store. The fakes are adapters
// like the GORM ones and pass the same contract suites (application/apptest/contract), so a use-case
// test on them sees the errors, details and orderings the real repositories give.
package memstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// Tables are the rows of the database. The repositories keep them consistent the way the schema's
// constraints do; a test may read or change them directly through View and Update, as a fixture
// would with SQL.
type Tables struct {
	Articles   map[string]article.State
	Revisions  map[string][]article.Revision // per article, in insertion order
	Tags       map[string]tag.State
	Users      map[string]identity.UserState
	Tokens     map[string]identity.TokenState
	Endpoints  map[string]webhook.EndpointSnapshot
	Deliveries map[string]webhook.DeliverySnapshot
	Outbox     []application.OutboxMessage
	// CacheApplied holds when the invalidation of an outbox message was applied, by message id;
	// a message without an entry is pending (the cache_applied_at column).
	CacheApplied map[string]time.Time
}

// clone copies the maps; rows are values that are replaced, never changed in place, so they can be
// shared between copies.
func (t Tables) clone() Tables {
	return Tables{
		Articles: maps.Clone(t.Articles), Revisions: maps.Clone(t.Revisions), Tags: maps.Clone(t.Tags),
		Users: maps.Clone(t.Users), Tokens: maps.Clone(t.Tokens), Endpoints: maps.Clone(t.Endpoints),
		Deliveries: maps.Clone(t.Deliveries), Outbox: slices.Clone(t.Outbox), CacheApplied: maps.Clone(t.CacheApplied),
	}
}

// DB holds the tables. It is also the TxManager: a transaction runs alone (transactions are
// serialised) and puts every table back when it fails, as a rollback does.
type DB struct {
	txMu sync.Mutex // held for the whole of a transaction
	mu   sync.Mutex // held for each read or write of the tables
	t    Tables
}

var _ application.TxManager = (*DB)(nil)

// New returns an empty database.
func New() *DB {
	return &DB{t: Tables{
		Articles: map[string]article.State{}, Revisions: map[string][]article.Revision{}, Tags: map[string]tag.State{},
		Users: map[string]identity.UserState{}, Tokens: map[string]identity.TokenState{},
		Endpoints: map[string]webhook.EndpointSnapshot{}, Deliveries: map[string]webhook.DeliverySnapshot{},
		CacheApplied: map[string]time.Time{},
	}}
}

type txKey struct{}

// InTx reports whether ctx carries a transaction of a DB.
func InTx(ctx context.Context) bool { return ctx.Value(txKey{}) != nil }

// Do runs fn in a transaction; a nested call joins the outer one. fn's error rolls every table back
// and is returned wrapped, as persistence.TxManager does.
func (db *DB) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	if InTx(ctx) {
		return fn(ctx)
	}
	db.txMu.Lock()
	defer db.txMu.Unlock()
	db.mu.Lock()
	before := db.t.clone()
	db.mu.Unlock()
	if err := fn(context.WithValue(ctx, txKey{}, true)); err != nil {
		db.mu.Lock()
		db.t = before
		db.mu.Unlock()
		return fmt.Errorf("transaction: %w", err)
	}
	return nil
}

// View runs fn with the tables for reading.
func (db *DB) View(fn func(t Tables)) {
	db.mu.Lock()
	defer db.mu.Unlock()
	fn(db.t)
}

// Update runs fn with the tables for changing them directly, bypassing the repositories' rules.
func (db *DB) Update(fn func(t *Tables)) {
	db.mu.Lock()
	defer db.mu.Unlock()
	fn(&db.t)
}

// lock takes the table lock and returns the tables and the unlock function.
func (db *DB) lock() (*Tables, func()) {
	db.mu.Lock()
	return &db.t, db.mu.Unlock
}

// Repositories on db.
func (db *DB) Articles() *Articles     { return &Articles{db: db} }
func (db *DB) Tags() *Tags             { return &Tags{db: db} }
func (db *DB) Users() *Users           { return &Users{db: db} }
func (db *DB) Tokens() *Tokens         { return &Tokens{db: db} }
func (db *DB) Endpoints() *Endpoints   { return &Endpoints{db: db} }
func (db *DB) Deliveries() *Deliveries { return &Deliveries{db: db} }
func (db *DB) Outbox() *Outbox         { return &Outbox{db: db} }
