package idempotency_test

import (
	"context"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	"github.com/inkwell-cms/inkwell/application/idempotency"
)

// t0 is a fixed instant the fake clock starts at.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeStore is memstore's idempotency store, which passes the store's contract suite, plus what the
// tests steer: an error every call returns, a hook before Get reads, and a count of purges.
type fakeStore struct {
	*memstore.IdempotencyStore
	mu     sync.Mutex
	err    error  // returned by every call when set
	purges int    // PurgeExpired calls
	onGet  func() // runs before Get reads
}

func newFakeStore() *fakeStore { return &fakeStore{IdempotencyStore: memstore.NewIdempotencyStore()} }

func (f *fakeStore) failure() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeStore) Insert(ctx context.Context, r idempotency.Record) (bool, error) {
	if err := f.failure(); err != nil {
		return false, err
	}
	return f.IdempotencyStore.Insert(ctx, r)
}

func (f *fakeStore) Get(ctx context.Context, userID, key string) (idempotency.Record, bool, error) {
	if f.onGet != nil {
		f.onGet()
	}
	if err := f.failure(); err != nil {
		return idempotency.Record{}, false, err
	}
	return f.IdempotencyStore.Get(ctx, userID, key)
}

func (f *fakeStore) TakeOver(ctx context.Context, previousToken string, r idempotency.Record) (bool, error) {
	if err := f.failure(); err != nil {
		return false, err
	}
	return f.IdempotencyStore.TakeOver(ctx, previousToken, r)
}

func (f *fakeStore) Complete(ctx context.Context, c idempotency.Claim, resp idempotency.Response, expiresAt time.Time) (bool, error) {
	if err := f.failure(); err != nil {
		return false, err
	}
	return f.IdempotencyStore.Complete(ctx, c, resp, expiresAt)
}

func (f *fakeStore) Release(ctx context.Context, c idempotency.Claim) (bool, error) {
	if err := f.failure(); err != nil {
		return false, err
	}
	return f.IdempotencyStore.Release(ctx, c)
}

func (f *fakeStore) PurgeExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	f.mu.Lock()
	f.purges++
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return 0, err
	}
	return f.IdempotencyStore.PurgeExpired(ctx, now, limit)
}

func (f *fakeStore) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeStore) len() int { return f.Len() }
