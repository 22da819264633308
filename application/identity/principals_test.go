package identity_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/identity"
)

// twoNodes are two identity services on one store and one shared cache, as two servers are.
func twoNodes(t *testing.T, ttl time.Duration) (*fixture, *fixture) {
	t.Helper()
	db := memstore.New()
	aside := cacheaside.New(apptest.NewCache(&apptest.Journal{}), cacheaside.Options{Enabled: true, TTL: time.Minute}, zap.NewNop())
	return newNode(t, db, aside, ttl), newNode(t, db, aside, ttl)
}

func authenticate(t *testing.T, f *fixture, plain string) error {
	t.Helper()
	_, err := f.svc.Authenticate(context.Background(), plain)
	return err
}

func TestABusyTokenIsReadOnceWithinTheTTL(t *testing.T) {
	t.Parallel()
	node, _ := twoNodes(t, 5*time.Second)
	admin := node.user(t, "Ann Lee", identity.RoleAdmin)
	tok, err := node.svc.CreateToken(asSystem(), identityapp.CreateToken{UserID: admin.ID, Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		p, err := node.svc.Authenticate(context.Background(), tok.Plaintext)
		if err != nil || p.UserID != admin.ID || p.Slug != admin.Slug || p.Name != admin.Name {
			t.Fatalf("authenticate: %+v, %v", p, err)
		}
	}
	if n := node.creds.lookups.Load(); n != 1 {
		t.Errorf("three requests within the TTL read the token %d times, want 1", n)
	}
	node.clock.Advance(5 * time.Second)
	if err := authenticate(t, node, tok.Plaintext); err != nil {
		t.Fatal(err)
	}
	if n := node.creds.lookups.Load(); n != 2 {
		t.Errorf("a request after the TTL read the token %d times in all, want 2", n)
	}
	if err := authenticate(t, node, "ink_unknown"); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("unknown token: %v", err)
	}
	if err := authenticate(t, node, "ink_unknown"); !errors.Is(err, identity.ErrInvalidToken) || node.creds.lookups.Load() != 4 {
		t.Fatalf("an unknown token is never cached: %v after %d lookups", err, node.creds.lookups.Load())
	}
}

// TestChangesRetireCachedPrincipalsOnEveryNode: a token revoked, a user disabled or demoted on one
// node is refused or demoted on the other at once, though both had the principal cached.
func TestChangesRetireCachedPrincipalsOnEveryNode(t *testing.T) {
	t.Parallel()
	nodeA, nodeB := twoNodes(t, time.Hour)
	issue := func(name string, role identity.Role) (identityapp.UserView, identityapp.IssuedToken) {
		u := nodeA.user(t, name, role)
		tok, err := nodeA.svc.CreateToken(asSystem(), identityapp.CreateToken{UserID: u.ID, Name: "t"})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []*fixture{nodeA, nodeB} {
			if err := authenticate(t, n, tok.Plaintext); err != nil {
				t.Fatal(err)
			}
		}
		return u, tok
	}
	_, revoked := issue("Rev Oked", identity.RoleAuthor)
	disabled, ofDisabled := issue("Dis Abled", identity.RoleEditor)
	demoted, ofDemoted := issue("De Moted", identity.RoleEditor)

	if _, err := nodeA.svc.RevokeToken(asSystem(), revoked.ID); err != nil {
		t.Fatal(err)
	}
	yes, author := true, string(identity.RoleAuthor)
	if _, err := nodeA.svc.UpdateUser(asSystem(), disabled.ID, identityapp.UpdateUser{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := nodeA.svc.UpdateUser(asSystem(), demoted.ID, identityapp.UpdateUser{Role: &author}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*fixture{nodeA, nodeB} {
		for name, plain := range map[string]string{"revoked": revoked.Plaintext, "disabled user": ofDisabled.Plaintext} {
			if err := authenticate(t, n, plain); !errors.Is(err, identity.ErrInvalidToken) {
				t.Errorf("%s token right after the change: %v, want invalid_token", name, err)
			}
		}
		p, err := n.svc.Authenticate(context.Background(), ofDemoted.Plaintext)
		if err != nil || p.Role != identity.RoleAuthor {
			t.Errorf("demoted user right after the change: %+v, %v, want role author", p, err)
		}
	}
}

func TestACachedPrincipalEndsWithItsToken(t *testing.T) {
	t.Parallel()
	node, _ := twoNodes(t, time.Hour)
	admin := node.user(t, "Ann Lee", identity.RoleAdmin)
	soon := node.clock.Now().Add(time.Minute)
	tok, err := node.svc.CreateToken(asSystem(), identityapp.CreateToken{UserID: admin.ID, Name: "t", ExpiresAt: &soon})
	if err != nil {
		t.Fatal(err)
	}
	if err := authenticate(t, node, tok.Plaintext); err != nil {
		t.Fatal(err)
	}
	node.clock.Advance(time.Minute)
	if err := authenticate(t, node, tok.Plaintext); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("a cached token after its expiry: %v, want invalid_token", err)
	}
}
