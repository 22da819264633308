package idempotency_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

// t0 is a fixed instant the fake clock starts at.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type pair struct{ user, key string }

// fakeStore keeps copies of the records under a mutex, with the compare-and-set semantics the
// database gives: one record per (user, key), and changes only by the holder of the token.
type fakeStore struct {
	mu     sync.Mutex
	rows   map[pair]idempotency.Record
	err    error  // returned by every call when set
	purges int    // PurgeExpired calls
	onGet  func() // runs before Get reads, outside the lock
}

func newFakeStore() *fakeStore { return &fakeStore{rows: map[pair]idempotency.Record{}} }

func clone(r idempotency.Record) idempotency.Record {
	r.Response.Header = maps.Clone(r.Response.Header)
	r.Response.Body = slices.Clone(r.Response.Body)
	return r
}

func (f *fakeStore) Insert(_ context.Context, r idempotency.Record) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return false, f.err
	}
	k := pair{r.UserID, r.Key}
	if _, ok := f.rows[k]; ok {
		return false, nil
	}
	f.rows[k] = clone(r)
	return true, nil
}

func (f *fakeStore) Get(_ context.Context, userID, key string) (idempotency.Record, bool, error) {
	if f.onGet != nil {
		f.onGet()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return idempotency.Record{}, false, f.err
	}
	r, ok := f.rows[pair{userID, key}]
	return clone(r), ok, nil
}

func (f *fakeStore) TakeOver(_ context.Context, previousToken string, r idempotency.Record) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return false, f.err
	}
	k := pair{r.UserID, r.Key}
	if cur, ok := f.rows[k]; !ok || cur.Token != previousToken {
		return false, nil
	}
	f.rows[k] = clone(r)
	return true, nil
}

func (f *fakeStore) Complete(_ context.Context, c idempotency.Claim, resp idempotency.Response, expiresAt time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return false, f.err
	}
	k := pair{c.UserID, c.Key}
	cur, ok := f.rows[k]
	if !ok || cur.Token != c.Token || cur.State != idempotency.StateInFlight {
		return false, nil
	}
	cur.State, cur.Response, cur.ExpiresAt = idempotency.StateCompleted, resp, expiresAt
	f.rows[k] = clone(cur)
	return true, nil
}

func (f *fakeStore) Release(_ context.Context, c idempotency.Claim) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return false, f.err
	}
	k := pair{c.UserID, c.Key}
	cur, ok := f.rows[k]
	if !ok || cur.Token != c.Token || cur.State != idempotency.StateInFlight {
		return false, nil
	}
	delete(f.rows, k)
	return true, nil
}

func (f *fakeStore) PurgeExpired(_ context.Context, now time.Time, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.purges++
	if f.err != nil {
		return 0, f.err
	}
	n := 0
	for k, r := range f.rows {
		if n < limit && !r.ExpiresAt.After(now) {
			delete(f.rows, k)
			n++
		}
	}
	return n, nil
}

func (f *fakeStore) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeStore) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.rows)
}
