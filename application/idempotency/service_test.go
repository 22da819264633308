package idempotency_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/idempotency"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

const (
	alice = "0190a000-0000-7000-8000-00000000000a"
	bob   = "0190a000-0000-7000-8000-00000000000b"
)

var (
	ctx     = context.Background()
	request = idempotency.NewFingerprint("POST", "/api/v1/admin/articles", []byte(`{"title":"Hello"}`))
	created = idempotency.Response{
		Status: 201,
		Header: map[string]string{"Content-Type": "application/json; charset=utf-8", "Location": "/api/v1/admin/articles/1", "Etag": `"1"`},
		Body:   []byte(`{"id":"1","title":"Hello"}`),
	}
)

type fixture struct {
	svc   *idempotency.Service
	store *fakeStore
	clock *apptest.Clock
}

func newFixture() fixture {
	store, clock := newFakeStore(), apptest.NewClock(t0)
	svc := idempotency.NewService(idempotency.Config{TTL: 24 * time.Hour, Lease: time.Minute}, store, clock, &apptest.IDs{})
	return fixture{svc: svc, store: store, clock: clock}
}

func (f fixture) begin(t *testing.T, user, key string, fp idempotency.Fingerprint) idempotency.Outcome {
	t.Helper()
	out, err := f.svc.Begin(ctx, user, key, fp)
	if err != nil {
		t.Fatalf("begin %s: %v", key, err)
	}
	return out
}

func (f fixture) proceed(t *testing.T, user, key string, fp idempotency.Fingerprint) idempotency.Claim {
	t.Helper()
	out := f.begin(t, user, key, fp)
	if out.Replayed() || out.Claim.Token == "" {
		t.Fatalf("begin %s: want to proceed with a claim, got %+v", key, out)
	}
	return out.Claim
}

func TestFirstResponseIsReplayedForTheSameRequest(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "k1", request)
	if claim.UserID != alice || claim.Key != "k1" {
		t.Fatalf("claim %+v", claim)
	}
	if err := f.svc.Complete(ctx, claim, created); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(23 * time.Hour)
	out := f.begin(t, alice, "k1", request)
	if !out.Replayed() {
		t.Fatal("the stored response was not replayed")
	}
	got := out.Replay
	if got.Status != 201 || string(got.Body) != string(created.Body) || got.Header["Location"] != created.Header["Location"] ||
		got.Header["Etag"] != `"1"` || got.Header["Content-Type"] != created.Header["Content-Type"] {
		t.Fatalf("replayed %d %v %s", got.Status, got.Header, got.Body)
	}
}

func TestStoredResponseLastsTTLFromCompletion(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "k", request)
	f.clock.Advance(30 * time.Second)
	if err := f.svc.Complete(ctx, claim, created); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(24*time.Hour - time.Second)
	if !f.begin(t, alice, "k", request).Replayed() {
		t.Fatal("replay must last 24 h from the stored response")
	}
	f.clock.Advance(time.Second)
	other := idempotency.NewFingerprint("POST", "/api/v1/admin/tags", nil)
	f.proceed(t, alice, "k", other) // expired: the key is free, even for another request
}

func TestSameKeyWithAnotherRequestIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "k", request)
	others := map[string]idempotency.Fingerprint{
		"body":   idempotency.NewFingerprint("POST", "/api/v1/admin/articles", []byte(`{"title":"Other"}`)),
		"path":   idempotency.NewFingerprint("POST", "/api/v1/admin/tags", []byte(`{"title":"Hello"}`)),
		"method": idempotency.NewFingerprint("PUT", "/api/v1/admin/articles", []byte(`{"title":"Hello"}`)),
	}
	for name, fp := range others {
		if _, err := f.svc.Begin(ctx, alice, "k", fp); !errors.Is(err, idempotency.ErrKeyReused) {
			t.Errorf("another %s while in flight: %v, want idempotency_key_reused", name, err)
		}
	}
	if err := f.svc.Complete(ctx, claim, created); err != nil {
		t.Fatal(err)
	}
	for name, fp := range others {
		_, err := f.svc.Begin(ctx, alice, "k", fp)
		if !errors.Is(err, idempotency.ErrKeyReused) || shared.KindOf(err) != shared.KindInvalid {
			t.Errorf("another %s after completion: %v, want a 422-kind idempotency_key_reused", name, err)
		}
	}
}

func TestSameKeyWithAnotherTokenIsAnotherRequest(t *testing.T) {
	t.Parallel()
	f := newFixture()
	readWrite := request.ForCredential("0190a5c0-0000-7000-8000-0000000000aa", false)
	claim := f.proceed(t, alice, "k", readWrite)
	if err := f.svc.Complete(ctx, claim, created); err != nil {
		t.Fatal(err)
	}
	for name, fp := range map[string]idempotency.Fingerprint{
		"read-only token":              request.ForCredential("0190a5c0-0000-7000-8000-0000000000bb", true),
		"same token, now read-only":    request.ForCredential("0190a5c0-0000-7000-8000-0000000000aa", true),
		"another read-write token":     request.ForCredential("0190a5c0-0000-7000-8000-0000000000cc", false),
		"no token (a pre-upgrade row)": request,
	} {
		if out, err := f.svc.Begin(ctx, alice, "k", fp); !errors.Is(err, idempotency.ErrKeyReused) || out.Replayed() {
			t.Errorf("%s: replayed=%v, %v; want idempotency_key_reused", name, out.Replayed(), err)
		}
	}
	if got := f.begin(t, alice, "k", readWrite); !got.Replayed() || got.Replay.Status != 201 {
		t.Fatal("the token that wrote the answer does not get it replayed")
	}
}

func TestRequestInFlightIsRefusedUntilTheLeaseRunsOut(t *testing.T) {
	t.Parallel()
	f := newFixture()
	first := f.proceed(t, alice, "k", request)
	f.clock.Advance(59 * time.Second)
	_, err := f.svc.Begin(ctx, alice, "k", request)
	if !errors.Is(err, idempotency.ErrInFlight) || shared.KindOf(err) != shared.KindConflict {
		t.Fatalf("while in flight: %v, want a 409-kind idempotency_request_in_flight", err)
	}
	// The first request's node crashed: after the lease a retry takes the key over.
	f.clock.Advance(time.Second)
	second := f.proceed(t, alice, "k", request)
	if second.Token == first.Token {
		t.Fatal("the takeover kept the dead request's token")
	}
	if err := f.svc.Complete(ctx, first, created); !errors.Is(err, idempotency.ErrClaimLost) {
		t.Fatalf("the overtaken request completed: %v", err)
	}
	if err := f.svc.Release(ctx, first); !errors.Is(err, idempotency.ErrClaimLost) {
		t.Fatalf("the overtaken request released the key: %v", err)
	}
	if _, err := f.svc.Begin(ctx, alice, "k", request); !errors.Is(err, idempotency.ErrInFlight) {
		t.Fatalf("the new holder's lease was not respected: %v", err)
	}
	if err := f.svc.Complete(ctx, second, created); err != nil {
		t.Fatal(err)
	}
	if !f.begin(t, alice, "k", request).Replayed() {
		t.Fatal("the new holder's response was not stored")
	}
}

// TestRetryableAndCredentialAnswersAreNotStored: a 5xx or 429 says "try again"; a 401 or 403 is about
// the credential, and stored it would spoil the key for a retry with the right token.
func TestRetryableAndCredentialAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 429, 401, 403} {
		f := newFixture()
		claim := f.proceed(t, alice, "k", request)
		if err := f.svc.Complete(ctx, claim, idempotency.Response{Status: status, Body: []byte(`{}`)}); err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		retry := f.proceed(t, alice, "k", request)
		if err := f.svc.Complete(ctx, retry, created); err != nil {
			t.Fatal(err)
		}
		if got := f.begin(t, alice, "k", request); !got.Replayed() || got.Replay.Status != 201 {
			t.Fatalf("after a %d the retry's response was not stored", status)
		}
	}
}

func TestClientErrorsAreStored(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 404, 409, 412, 422} {
		f := newFixture()
		claim := f.proceed(t, alice, "k", request)
		if err := f.svc.Complete(ctx, claim, idempotency.Response{Status: status, Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		if got := f.begin(t, alice, "k", request); !got.Replayed() || got.Replay.Status != status {
			t.Fatalf("a %d was not replayed", status)
		}
	}
}

func TestReleaseFreesTheKey(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "k", request)
	if err := f.svc.Release(ctx, claim); err != nil {
		t.Fatal(err)
	}
	if f.store.len() != 0 {
		t.Fatal("release left the record")
	}
	f.proceed(t, alice, "k", request)
}

func TestKeysAreScopedToTheUser(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "shared-key", request)
	if err := f.svc.Complete(ctx, claim, created); err != nil {
		t.Fatal(err)
	}
	f.proceed(t, bob, "shared-key", request)
}

func TestBeginLooksAgainWhenTheRecordVanishes(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "k", request)
	released := false
	f.store.onGet = func() {
		if !released {
			released = true
			if err := f.svc.Release(ctx, claim); err != nil {
				t.Error(err)
			}
		}
	}
	f.proceed(t, alice, "k", request)
}

func TestKeysMustBePrintableASCII(t *testing.T) {
	t.Parallel()
	f := newFixture()
	valid := []string{"a", strings.Repeat("k", 255), " ~!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}", "8e0f6b1c-5c3a-4a7e-9e44-0b9d6c6f3a21"}
	for _, key := range valid {
		if err := idempotency.ValidateKey(key); err != nil {
			t.Errorf("%q refused: %v", key, err)
		}
	}
	invalid := []string{"", strings.Repeat("k", 256), "tab\there", "new\nline", "nul\x00", "del\x7f", "café", "emoji🙂"}
	for _, key := range invalid {
		if err := idempotency.ValidateKey(key); !errors.Is(err, idempotency.ErrInvalidKey) {
			t.Errorf("%q accepted: %v", key, err)
		}
		_, err := f.svc.Begin(ctx, alice, key, request)
		if !errors.Is(err, idempotency.ErrInvalidKey) || shared.KindOf(err) != shared.KindMalformed {
			t.Errorf("begin with %q: %v, want a 400-kind invalid_idempotency_key", key, err)
		}
	}
	if f.store.len() != 0 {
		t.Fatal("an invalid key was stored")
	}
}

func TestBeginNeedsAUser(t *testing.T) {
	t.Parallel()
	f := newFixture()
	if _, err := f.svc.Begin(ctx, "", "k", request); err == nil || shared.KindOf(err) != shared.KindInternal {
		t.Fatalf("begin without a user: %v", err)
	}
}

func TestStoreFailuresAreReturnedWrapped(t *testing.T) {
	t.Parallel()
	f := newFixture()
	claim := f.proceed(t, alice, "k", request)
	down := errors.New("database down")
	f.store.setErr(down)
	if _, err := f.svc.Begin(ctx, alice, "k2", request); !errors.Is(err, down) || !strings.Contains(err.Error(), "idempotency: begin") {
		t.Errorf("begin: %v", err)
	}
	if err := f.svc.Complete(ctx, claim, created); !errors.Is(err, down) {
		t.Errorf("complete: %v", err)
	}
	if err := f.svc.Release(ctx, claim); !errors.Is(err, down) {
		t.Errorf("release: %v", err)
	}
	if _, err := f.svc.Purge(ctx, t0); !errors.Is(err, down) {
		t.Errorf("purge: %v", err)
	}
}

func TestPurgeDeletesExpiredRecordsInBatches(t *testing.T) {
	t.Parallel()
	f := newFixture()
	const expired = 2500
	for i := range expired {
		f.proceed(t, alice, fmt.Sprintf("old-%d", i), request)
	}
	f.clock.Advance(12 * time.Hour)
	keep := f.proceed(t, alice, "recent", request)
	if err := f.svc.Complete(ctx, keep, created); err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.Purge(ctx, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != expired || f.store.len() != 1 {
		t.Fatalf("purged %d, %d left; want %d purged and the recent one kept", n, f.store.len(), expired)
	}
	if f.store.purges != 3 {
		t.Fatalf("%d purge statements, want 3 batches of at most 1000", f.store.purges)
	}
	if !f.begin(t, alice, "recent", request).Replayed() {
		t.Fatal("the recent response was purged")
	}
}
