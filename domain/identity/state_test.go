package identity_test

import (
	"crypto/sha256"
	"reflect"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
)

// allSet fails the test when a field of the struct v is zero, so a field that State or Restore…
// forgets cannot hide behind a zero value.
func allSet(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			t.Fatalf("the fixture leaves %s zero", rv.Type().Field(i).Name)
		}
	}
}

func TestUserStateIsTheReverseOfRestoreUser(t *testing.T) {
	t.Parallel()
	want := identity.UserState{
		ID: "u1", Name: "Ann Lee", Slug: "ann-lee", Email: "ann@example.com", Role: identity.RoleEditor,
		Bio: "bio", AvatarURL: "https://example.com/a.png", Disabled: true, Version: 4,
		CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
	}
	allSet(t, want)
	if got := identity.RestoreUser(want).State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("RestoreUser(s).State():\n got %+v\nwant %+v", got, want)
	}
	u, err := identity.NewUser(validUser())
	if err != nil {
		t.Fatal(err)
	}
	if err := u.Rename("Ann Leeway", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := identity.RestoreUser(u.State()).State(); !reflect.DeepEqual(got, u.State()) {
		t.Fatalf("RestoreUser(u.State()).State():\n got %+v\nwant %+v", got, u.State())
	}
}

func TestTokenStateIsTheReverseOfRestoreAPIToken(t *testing.T) {
	t.Parallel()
	h := sha256.Sum256([]byte("secret"))
	expires, used, revoked := t0.Add(48*time.Hour), t0.Add(time.Hour), t0.Add(2*time.Hour)
	fresh := func() identity.TokenState {
		e, u, r := expires, used, revoked
		return identity.TokenState{
			ID: "t1", UserID: "u1", Name: "ci", Prefix: "ink_abcd", Hash: append([]byte(nil), h[:]...), ReadOnly: true,
			ExpiresAt: &e, LastUsedAt: &u, RevokedAt: &r, CreatedAt: t0,
		}
	}
	want := fresh()
	allSet(t, want)
	tok := identity.RestoreAPIToken(want)
	if got := tok.State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("RestoreAPIToken(s).State():\n got %+v\nwant %+v", got, want)
	}

	want.Hash[0]++
	*want.ExpiresAt, *want.LastUsedAt, *want.RevokedAt = t0, t0, t0
	out := tok.State()
	out.Hash[1]++
	*out.ExpiresAt, *out.LastUsedAt, *out.RevokedAt = t0, t0, t0
	if got := tok.State(); !reflect.DeepEqual(got, fresh()) {
		t.Fatalf("the token shares memory with a State: %+v", got)
	}
}
