package identity_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func validToken() identity.NewTokenParams {
	h := sha256.Sum256([]byte("ink_secret"))
	return identity.NewTokenParams{ID: "tok-1", UserID: "user-1", Name: " CI deploy ", Prefix: "ink_abcdefgh", Hash: h[:], Now: t0}
}

func TestNewAPIToken(t *testing.T) {
	t.Parallel()
	past, future := t0.Add(-time.Second), t0.Add(time.Hour)
	tests := []struct {
		name   string
		adjust func(*identity.NewTokenParams)
		kind   shared.Kind // KindInternal with valid=true means no error
		valid  bool
	}{
		{"valid", func(*identity.NewTokenParams) {}, 0, true},
		{"expiring in the future", func(p *identity.NewTokenParams) { p.ExpiresAt = &future }, 0, true},
		{"expired at birth", func(p *identity.NewTokenParams) { p.ExpiresAt = &past }, shared.KindInvalid, false},
		{"empty name", func(p *identity.NewTokenParams) { p.Name = "" }, shared.KindInvalid, false},
		{"no user", func(p *identity.NewTokenParams) { p.UserID = "" }, shared.KindInvalid, false},
		{"short hash", func(p *identity.NewTokenParams) { p.Hash = []byte("x") }, shared.KindInternal, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validToken()
			tt.adjust(&p)
			tok, err := identity.NewAPIToken(p)
			if tt.valid {
				if err != nil {
					t.Fatal(err)
				}
				if tok.Name() != "CI deploy" || !tok.Usable(t0) || tok.LastUsedAt() != nil {
					t.Fatalf("new token: name %q usable %v", tok.Name(), tok.Usable(t0))
				}
				return
			}
			var de *shared.Error
			if !errors.As(err, &de) || de.Kind != tt.kind {
				t.Fatalf("want an error of kind %d, got %v", tt.kind, err)
			}
		})
	}
}

func TestTokenUsableUntilExpiryOrRevocation(t *testing.T) {
	t.Parallel()
	expires := t0.Add(time.Hour)
	tests := []struct {
		name    string
		expires *time.Time
		revoke  *time.Time
		at      time.Time
		usable  bool
	}{
		{"fresh, no expiry", nil, nil, t0.Add(24 * 365 * time.Hour), true},
		{"before expiry", &expires, nil, expires.Add(-time.Nanosecond), true},
		{"at expiry", &expires, nil, expires, false},
		{"after expiry", &expires, nil, expires.Add(time.Minute), false},
		{"revoked", nil, &t0, t0.Add(time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validToken()
			p.ExpiresAt = tt.expires
			tok, err := identity.NewAPIToken(p)
			if err != nil {
				t.Fatal(err)
			}
			if tt.revoke != nil && !tok.Revoke(*tt.revoke) {
				t.Fatal("first revoke reported no change")
			}
			if got := tok.Usable(tt.at); got != tt.usable {
				t.Fatalf("Usable = %v, want %v", got, tt.usable)
			}
		})
	}
}

func TestRevokeTwiceKeepsTheFirstTime(t *testing.T) {
	t.Parallel()
	tok, err := identity.NewAPIToken(validToken())
	if err != nil {
		t.Fatal(err)
	}
	tok.Revoke(t0)
	if tok.Revoke(t0.Add(time.Hour)) {
		t.Fatal("second revoke reported a change")
	}
	if !tok.RevokedAt().Equal(t0) {
		t.Fatalf("revoked at %v, want %v", tok.RevokedAt(), t0)
	}
}

func TestTokenDoesNotShareItsHashOrTimes(t *testing.T) {
	t.Parallel()
	p := validToken()
	expires := t0.Add(time.Hour)
	p.ExpiresAt = &expires
	tok, err := identity.NewAPIToken(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Hash[0] ^= 0xff
	*tok.ExpiresAt() = t0
	h := tok.Hash()
	h[1] ^= 0xff
	want := sha256.Sum256([]byte("ink_secret"))
	if !bytes.Equal(tok.Hash(), want[:]) || !tok.ExpiresAt().Equal(expires) {
		t.Fatal("the token's state changed through a slice or pointer it handed out or took in")
	}
}
