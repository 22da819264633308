package idempotency

import (
	"context"
	"time"
)

// Store keeps the records, one per (user id, key). It is what makes the service safe across nodes:
// Insert adds a record only when none exists for the pair (a unique key in the database decides),
// and TakeOver, Complete and Release change a record only while it carries the token the caller
// names, so of two racing callers exactly one wins. No method needs a transaction from the caller.
type Store interface {
	// Insert adds r and reports true, or reports false when a record for (r.UserID, r.Key) exists.
	Insert(ctx context.Context, r Record) (bool, error)
	// Get returns the record of (userID, key) and whether there is one.
	Get(ctx context.Context, userID, key string) (Record, bool, error)
	// TakeOver replaces the record of (r.UserID, r.Key) with r if it still carries previousToken,
	// and reports whether it did.
	TakeOver(ctx context.Context, previousToken string, r Record) (bool, error)
	// Complete stores resp in the in-flight record held by c, keeps it until expiresAt, and reports
	// whether c still held it.
	Complete(ctx context.Context, c Claim, resp Response, expiresAt time.Time) (bool, error)
	// Release deletes the in-flight record held by c and reports whether c still held it.
	Release(ctx context.Context, c Claim) (bool, error)
	// PurgeExpired deletes up to limit records that expired at or before now and returns how many.
	PurgeExpired(ctx context.Context, now time.Time, limit int) (int, error)
}
