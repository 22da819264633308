package memstore

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

// IdempotencyStore implements idempotency.Store with the compare-and-set rules the database's
// primary key and WHERE clauses give: one record per (user, key), changed only by the holder of
// its token. Like the GORM store it needs no transaction, so it keeps its own table.
type IdempotencyStore struct {
	mu   sync.Mutex
	rows map[idempotencyKey]idempotency.Record
}

type idempotencyKey struct{ user, key string }

var _ idempotency.Store = (*IdempotencyStore)(nil)

// NewIdempotencyStore returns an empty store.
func NewIdempotencyStore() *IdempotencyStore {
	return &IdempotencyStore{rows: map[idempotencyKey]idempotency.Record{}}
}

// Len is the number of records stored.
func (s *IdempotencyStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rows)
}

func cloneRecord(r idempotency.Record) idempotency.Record {
	r.Response.Header = maps.Clone(r.Response.Header)
	r.Response.Body = slices.Clone(r.Response.Body)
	return r
}

func (s *IdempotencyStore) Insert(_ context.Context, r idempotency.Record) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := idempotencyKey{r.UserID, r.Key}
	if _, ok := s.rows[k]; ok {
		return false, nil
	}
	s.rows[k] = cloneRecord(r)
	return true, nil
}

func (s *IdempotencyStore) Get(_ context.Context, userID, key string) (idempotency.Record, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rows[idempotencyKey{userID, key}]
	if !ok {
		return idempotency.Record{}, false, nil
	}
	return cloneRecord(r), true, nil
}

// TakeOver replaces the record with r, without a response, if it still carries previousToken.
func (s *IdempotencyStore) TakeOver(_ context.Context, previousToken string, r idempotency.Record) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := idempotencyKey{r.UserID, r.Key}
	if cur, ok := s.rows[k]; !ok || cur.Token != previousToken {
		return false, nil
	}
	r.Response = idempotency.Response{}
	s.rows[k] = r
	return true, nil
}

func (s *IdempotencyStore) Complete(_ context.Context, c idempotency.Claim, resp idempotency.Response, expiresAt time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := idempotencyKey{c.UserID, c.Key}
	cur, ok := s.rows[k]
	if !ok || cur.Token != c.Token || cur.State != idempotency.StateInFlight {
		return false, nil
	}
	cur.State, cur.Response, cur.ExpiresAt = idempotency.StateCompleted, resp, expiresAt
	s.rows[k] = cloneRecord(cur)
	return true, nil
}

func (s *IdempotencyStore) Release(_ context.Context, c idempotency.Claim) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := idempotencyKey{c.UserID, c.Key}
	cur, ok := s.rows[k]
	if !ok || cur.Token != c.Token || cur.State != idempotency.StateInFlight {
		return false, nil
	}
	delete(s.rows, k)
	return true, nil
}

// PurgeExpired deletes up to limit expired records, those that expired first first.
func (s *IdempotencyStore) PurgeExpired(_ context.Context, now time.Time, limit int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var expired []idempotencyKey
	for k, r := range s.rows {
		if !r.ExpiresAt.After(now) {
			expired = append(expired, k)
		}
	}
	slices.SortFunc(expired, func(a, b idempotencyKey) int { return s.rows[a].ExpiresAt.Compare(s.rows[b].ExpiresAt) })
	for _, k := range expired[:min(limit, len(expired))] {
		delete(s.rows, k)
	}
	return min(limit, len(expired)), nil
}
