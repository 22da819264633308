package persistence

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

// IdempotencyStore implements idempotency.Store. Every method is one statement, so it needs no
// transaction: the primary key (user_id, idempotency_key) and the lease token in the WHERE clauses
// make the database the referee between nodes.
type IdempotencyStore struct{ db *DB }

// NewIdempotencyStore returns the idempotency store of db.
func NewIdempotencyStore(db *DB) *IdempotencyStore { return &IdempotencyStore{db: db} }

// Insert adds r unless its (user, key) exists. ON CONFLICT DO NOTHING lets the unique key decide
// without raising an error, so a contended key neither fills the server log with unique violations
// nor aborts a transaction the caller might be in.
func (s *IdempotencyStore) Insert(ctx context.Context, r idempotency.Record) (bool, error) {
	m := idempotencyRecordToModel(r)
	res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&m)
	if res.Error != nil {
		return false, fmt.Errorf("idempotency store: insert key %q: %w", r.Key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Get returns the record of (userID, key).
func (s *IdempotencyStore) Get(ctx context.Context, userID, key string) (idempotency.Record, bool, error) {
	var m idempotencyKeyModel
	err := s.db.Conn(ctx).Where("user_id = ? AND idempotency_key = ?", userID, key).Take(&m).Error
	if IsNotFound(err) {
		return idempotency.Record{}, false, nil
	}
	if err != nil {
		return idempotency.Record{}, false, fmt.Errorf("idempotency store: get key %q: %w", key, err)
	}
	r, err := idempotencyRecordFromModel(m)
	if err != nil {
		return idempotency.Record{}, false, fmt.Errorf("idempotency store: get: %w", err)
	}
	return r, true, nil
}

// TakeOver replaces the row with r, in flight and without a response, if it still carries
// previousToken.
func (s *IdempotencyStore) TakeOver(ctx context.Context, previousToken string, r idempotency.Record) (bool, error) {
	m := idempotencyRecordToModel(r)
	res := s.db.Conn(ctx).Model(&idempotencyKeyModel{}).
		Where("user_id = ? AND idempotency_key = ? AND lease_token = ?", r.UserID, r.Key, previousToken).
		Updates(map[string]any{
			"method": m.Method, "path": m.Path, "body_sha256": m.BodySHA256, "credential": m.Credential, "state": m.State,
			"lease_token": m.LeaseToken, "locked_at": m.LockedAt, "expires_at": m.ExpiresAt,
			"response_status": nil, "response_headers": nil, "response_body": nil,
		})
	if res.Error != nil {
		return false, fmt.Errorf("idempotency store: take over key %q: %w", r.Key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Complete stores resp in the in-flight row c holds.
func (s *IdempotencyStore) Complete(ctx context.Context, c idempotency.Claim, resp idempotency.Response, expiresAt time.Time) (bool, error) {
	header := resp.Header
	if header == nil {
		header = map[string]string{}
	}
	encoded, err := json.Marshal(header)
	if err != nil {
		return false, fmt.Errorf("idempotency store: complete key %q: encode headers: %w", c.Key, err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{} // a stored response always has a body, if empty; NULL means "none yet"
	}
	res := s.heldBy(ctx, c).Updates(map[string]any{
		"state": string(idempotency.StateCompleted), "response_status": resp.Status,
		"response_headers": string(encoded), "response_body": body, "expires_at": expiresAt.UTC(),
	})
	if res.Error != nil {
		return false, fmt.Errorf("idempotency store: complete key %q: %w", c.Key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Release deletes the in-flight row c holds.
func (s *IdempotencyStore) Release(ctx context.Context, c idempotency.Claim) (bool, error) {
	res := s.heldBy(ctx, c).Delete(&idempotencyKeyModel{})
	if res.Error != nil {
		return false, fmt.Errorf("idempotency store: release key %q: %w", c.Key, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// PurgeExpired deletes up to limit rows expired at or before now. Neither engine has DELETE … LIMIT
// in its default build, so the batch is chosen by a subquery on the expires_at index.
func (s *IdempotencyStore) PurgeExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	res := s.db.Conn(ctx).Exec(`DELETE FROM idempotency_keys WHERE (user_id, idempotency_key) IN (
		SELECT user_id, idempotency_key FROM idempotency_keys WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
		now.UTC(), limit)
	if res.Error != nil {
		return 0, fmt.Errorf("idempotency store: purge: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

func (s *IdempotencyStore) heldBy(ctx context.Context, c idempotency.Claim) *gorm.DB {
	return s.db.Conn(ctx).Model(&idempotencyKeyModel{}).
		Where("user_id = ? AND idempotency_key = ? AND lease_token = ? AND state = ?",
			c.UserID, c.Key, c.Token, string(idempotency.StateInFlight))
}
