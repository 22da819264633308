package contract

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/idempotency"
)

// IdempotencyStore is the contract of idempotency.Store: one record per (user, key), changed only
// by the holder of its token, purged oldest first.
func IdempotencyStore(t *testing.T, open func(t *testing.T) idempotency.Store) {
	for name, test := range map[string]func(t *testing.T, s idempotency.Store){
		"one record per user and key":           idempotencyOnePerKey,
		"a record changes only for its holder":  idempotencyHolder,
		"expired records are purged in batches": idempotencyPurge,
		"one of concurrent begins proceeds":     idempotencyRace,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, open(t))
		})
	}
}

func inFlight(user, key, body string, at time.Time) idempotency.Record {
	return idempotency.Record{
		UserID: user, Key: key, State: idempotency.StateInFlight, Token: newID(),
		Fingerprint: idempotency.NewFingerprint("POST", "/api/v1/admin/articles?x=1", []byte(body)).ForCredential(newID(), true),
		LockedAt:    at, ExpiresAt: at.Add(24 * time.Hour),
	}
}

func claimOf(r idempotency.Record) idempotency.Claim {
	return idempotency.Claim{UserID: r.UserID, Key: r.Key, Token: r.Token}
}

func mustGet(t *testing.T, s idempotency.Store, user, key string) idempotency.Record {
	t.Helper()
	r, found, err := s.Get(context.Background(), user, key)
	if err != nil || !found {
		t.Fatalf("get %s: found %v, %v", key, found, err)
	}
	return r
}

func check(t *testing.T, what string, ok bool, err error, want bool) {
	t.Helper()
	if err != nil || ok != want {
		t.Fatalf("%s: %v, %v; want %v", what, ok, err, want)
	}
}

func idempotencyOnePerKey(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	alice, bob := newID(), newID()
	first := inFlight(alice, "key-1", `{"a":1}`, t0)
	ok, err := s.Insert(ctx, first)
	check(t, "insert", ok, err, true)
	ok, err = s.Insert(ctx, inFlight(alice, "key-1", `{"a":2}`, t0.Add(time.Second)))
	check(t, "insert the same user and key", ok, err, false)
	ok, err = s.Insert(ctx, inFlight(bob, "key-1", `{"a":1}`, t0))
	check(t, "insert the same key for another user", ok, err, true)

	if got := mustGet(t, s, alice, "key-1"); !reflect.DeepEqual(got, first) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, first)
	}
	if _, found, err := s.Get(ctx, alice, "key-2"); found || err != nil {
		t.Fatalf("get a missing key: %v, %v", found, err)
	}
}

func idempotencyHolder(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	user := newID()
	dead := inFlight(user, "k", `{"a":1}`, t0)
	ok, err := s.Insert(ctx, dead)
	check(t, "insert", ok, err, true)

	retry := inFlight(user, "k", `{"a":1}`, t0.Add(time.Minute))
	ok, err = s.TakeOver(ctx, newID(), retry)
	check(t, "take over with a wrong token", ok, err, false)
	ok, err = s.TakeOver(ctx, dead.Token, retry)
	check(t, "take over", ok, err, true)
	ok, err = s.TakeOver(ctx, dead.Token, inFlight(user, "k", `{"a":1}`, t0.Add(2*time.Minute)))
	check(t, "a second take over with the same old token", ok, err, false)
	if got := mustGet(t, s, user, "k"); !reflect.DeepEqual(got, retry) {
		t.Fatalf("after take over:\n got %+v\nwant %+v", got, retry)
	}

	resp := idempotency.Response{
		Status: 201,
		Header: map[string]string{"Content-Type": "application/json", "Location": "/api/v1/admin/articles/1", "Etag": `"1"`},
		Body:   []byte("{\"id\":\"1\"}\x00\xff exact bytes"),
	}
	expires := t0.Add(25 * time.Hour)
	ok, err = s.Complete(ctx, claimOf(dead), resp, expires)
	check(t, "complete by the overtaken request", ok, err, false)
	ok, err = s.Release(ctx, claimOf(dead))
	check(t, "release by the overtaken request", ok, err, false)
	ok, err = s.Complete(ctx, claimOf(retry), resp, expires)
	check(t, "complete", ok, err, true)
	want := retry
	want.State, want.Response, want.ExpiresAt = idempotency.StateCompleted, resp, expires
	if got := mustGet(t, s, user, "k"); !reflect.DeepEqual(got, want) {
		t.Fatalf("completed:\n got %+v\nwant %+v", got, want)
	}
	ok, err = s.Complete(ctx, claimOf(retry), idempotency.Response{Status: 200}, expires)
	check(t, "complete twice", ok, err, false)
	ok, err = s.Release(ctx, claimOf(retry))
	check(t, "release a completed record", ok, err, false)

	// A take-over of a completed record (its replay expired) starts it again without a response.
	again := inFlight(user, "k", `{"a":1}`, t0.Add(26*time.Hour))
	ok, err = s.TakeOver(ctx, retry.Token, again)
	check(t, "take over a completed record", ok, err, true)
	if got := mustGet(t, s, user, "k"); !reflect.DeepEqual(got, again) {
		t.Fatalf("after taking over a completed record:\n got %+v\nwant %+v", got, again)
	}

	empty := inFlight(user, "no-content", "", t0)
	ok, err = s.Insert(ctx, empty)
	check(t, "insert", ok, err, true)
	ok, err = s.Complete(ctx, claimOf(empty), idempotency.Response{Status: 204}, expires)
	check(t, "complete without headers or body", ok, err, true)
	if got := mustGet(t, s, user, "no-content").Response; got.Status != 204 || len(got.Body) != 0 || len(got.Header) != 0 {
		t.Fatalf("empty response came back as %+v", got)
	}

	held := inFlight(user, "released", "", t0)
	ok, err = s.Insert(ctx, held)
	check(t, "insert", ok, err, true)
	ok, err = s.Release(ctx, idempotency.Claim{UserID: user, Key: "released", Token: newID()})
	check(t, "release with a wrong token", ok, err, false)
	ok, err = s.Release(ctx, claimOf(held))
	check(t, "release", ok, err, true)
	if _, found, err := s.Get(ctx, user, "released"); found || err != nil {
		t.Fatalf("a released record is still there: %v, %v", found, err)
	}
}

func idempotencyPurge(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	user := newID()
	// Inserted newest first, so a store that purges in insertion order fails.
	for i := 4; i >= 0; i-- {
		r := inFlight(user, fmt.Sprintf("old-%d", i), "", t0)
		r.ExpiresAt = t0.Add(time.Duration(i) * time.Second)
		ok, err := s.Insert(ctx, r)
		check(t, "insert", ok, err, true)
	}
	live := inFlight(user, "live", "", t0)
	live.ExpiresAt = t0.Add(time.Hour)
	ok, err := s.Insert(ctx, live)
	check(t, "insert", ok, err, true)

	now := t0.Add(4 * time.Second) // old-4 expires exactly now: it goes too
	if n, err := s.PurgeExpired(ctx, now, 3); n != 3 || err != nil {
		t.Fatalf("first batch: %d, %v; want 3", n, err)
	}
	for i := range 5 {
		_, found, _ := s.Get(ctx, user, fmt.Sprintf("old-%d", i))
		if found != (i >= 3) {
			t.Fatalf("after the first batch old-%d is there: %v; the batch takes the first expired first", i, found)
		}
	}
	if n, err := s.PurgeExpired(ctx, now, 3); n != 2 || err != nil {
		t.Fatalf("second batch: %d, %v; want 2", n, err)
	}
	if n, err := s.PurgeExpired(ctx, now, 3); n != 0 || err != nil {
		t.Fatalf("third batch: %d, %v; want 0", n, err)
	}
	mustGet(t, s, user, "live")
}

type uuids struct{}

func (uuids) NewID() string { return newID() }

type fixedClock struct{}

func (fixedClock) Now() time.Time { return t0 }

func idempotencyRace(t *testing.T, s idempotency.Store) {
	svc := idempotency.NewService(idempotency.Config{}, s, fixedClock{}, uuids{})
	fp := idempotency.NewFingerprint("POST", "/api/v1/admin/articles", []byte(`{"title":"Hello"}`))
	user := newID()
	const rounds, racers = 10, 6
	for round := range rounds {
		key := fmt.Sprintf("race-%d", round)
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		proceeded, inFlightErrs := 0, 0
		for range racers {
			wg.Go(func() {
				<-start
				out, err := svc.Begin(context.Background(), user, key, fp)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && !out.Replayed():
					proceeded++
				case errors.Is(err, idempotency.ErrInFlight):
					inFlightErrs++
				default:
					t.Errorf("round %d: unexpected outcome %+v, %v", round, out, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if proceeded != 1 || inFlightErrs != racers-1 {
			t.Fatalf("round %d: %d proceeded and %d were refused as in flight; want exactly one to proceed", round, proceeded, inFlightErrs)
		}
	}
}
