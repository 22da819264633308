// Package application holds the use cases of Inkwell, one service per bounded context, and the ports
// (interfaces) they need from the outside world. Infrastructure implements the ports; wire binds them.
package application

import (
	"context"
	"time"
)

// TxManager runs fn in one database transaction carried in the context. Repositories called with that
// context join it; a nested Do joins the outer transaction. fn's error rolls everything back.
type TxManager interface {
	Do(ctx context.Context, fn func(ctx context.Context) error) error
}

// Clock tells the time; tests inject a fixed one.
type Clock interface {
	Now() time.Time
}

// IDGenerator makes new identifiers (UUIDv7 strings: time-ordered, index friendly).
type IDGenerator interface {
	NewID() string
}

// OutboxMessage is an event ready for delivery: its public type, what it is about and the payload
// data (the article summary or tag as the API shows it).
type OutboxMessage struct {
	ID            string
	Type          string
	AggregateType string
	AggregateID   string
	OccurredAt    time.Time
	Data          any
}

// Outbox stores events in the transaction of the change that caused them, so a committed change
// always has its events and a rolled-back one never does.
type Outbox interface {
	Append(ctx context.Context, msgs ...OutboxMessage) error
}

// Cache is a byte cache shared by the nodes (Redis) or local to one (in-process). Keys are plain
// strings; the implementation adds its configured prefix. A miss is (nil, false, nil).
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	Delete(ctx context.Context, keys ...string) error
	// Incr atomically increments a counter (created at 1) that does not expire: generation keys.
	Incr(ctx context.Context, key string) (int64, error)
	// Counter reads a counter, 0 when absent.
	Counter(ctx context.Context, key string) (int64, error)
	// Raise atomically sets a counter to value unless it already holds more (value ≥ 0), so
	// concurrent writers of a position that only grows cannot move it back.
	Raise(ctx context.Context, key string, value int64) error
}

// ReadReplicas lets public reads be answered by PostgreSQL read replicas without ever going stale:
// a read marked with ReadAt(ctx, pos) goes to a replica only when that replica has replayed the
// write-ahead log up to pos, and to the primary otherwise. Everything not marked (writes,
// transactions, management reads) stays on the primary.
type ReadReplicas interface {
	// Enabled reports whether any replica is configured; when not, nothing else need be called.
	Enabled() bool
	// Position returns the primary's current write-ahead log position, which is at or past the
	// commit of every transaction committed before the call.
	Position(ctx context.Context) (int64, error)
	// ReadAt returns ctx marked so that its reads may be answered by a replica that has replayed at
	// least pos.
	ReadAt(ctx context.Context, pos int64) context.Context
}

// Locker takes a named lock that is held until the transaction in ctx ends, so work that must happen
// once (the first admin) is serialised across every node sharing the database.
type Locker interface {
	LockTx(ctx context.Context, name string) error
}
