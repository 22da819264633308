package identity_test

import (
	"context"
	"testing"
	"time"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestAUserHoldsAtMostTheCapOfActiveTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	bo := f.user(t, "Bo Kim", identity.RoleAuthor)
	soon := f.clock.Now().Add(time.Hour)
	var ids []string
	for i := range maxTokens {
		cmd := identityapp.CreateToken{Name: "t"}
		if i == 0 {
			cmd.ExpiresAt = &soon
		}
		tok, err := f.svc.CreateToken(as(bo, false), cmd)
		if err != nil {
			t.Fatalf("token %d within the cap: %v", i+1, err)
		}
		ids = append(ids, tok.ID)
	}
	_, err := f.svc.CreateToken(as(bo, false), identityapp.CreateToken{Name: "one too many"})
	if codeOf(err) != "too_many_tokens" || shared.KindOf(err) != shared.KindInvalid {
		t.Fatalf("over the cap: %v, want a 422-kind too_many_tokens", err)
	}
	// The cap is per user and binds an admin issuing for the user as well.
	if _, err := f.svc.CreateToken(as(admin, false), identityapp.CreateToken{Name: "x", UserID: bo.ID}); codeOf(err) != "too_many_tokens" {
		t.Fatalf("admin issuing over bo's cap: %v", err)
	}
	if _, err := f.svc.CreateToken(as(admin, false), identityapp.CreateToken{Name: "own"}); err != nil {
		t.Fatalf("another user's cap is their own: %v", err)
	}
	// A revoked or an expired token frees a place.
	if _, err := f.svc.RevokeToken(as(bo, false), ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateToken(as(bo, false), identityapp.CreateToken{Name: "after a revocation"}); err != nil {
		t.Fatalf("after a revocation: %v", err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.svc.CreateToken(as(bo, false), identityapp.CreateToken{Name: "after an expiry"}); err != nil {
		t.Fatalf("after an expiry: %v", err)
	}
	if _, err := f.svc.CreateToken(as(bo, false), identityapp.CreateToken{Name: "full again"}); codeOf(err) != "too_many_tokens" {
		t.Fatalf("full again: %v", err)
	}
}

func TestAnAuthorProfileIsPublicOnlyForAnEnabledUserWithPublishedWork(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	bo := f.user(t, "Bo Kim", identity.RoleAuthor)
	cy := f.user(t, "Cy Ode", identity.RoleViewer)
	f.published.set(bo.ID, true)

	if a, err := f.svc.Author(context.Background(), bo.Slug); err != nil || a.Name != "Bo Kim" {
		t.Fatalf("published author: %+v, %v", a, err)
	}
	for name, slug := range map[string]string{"admin without articles": admin.Slug, "viewer": cy.Slug, "unknown": "nobody"} {
		if _, err := f.svc.Author(context.Background(), slug); codeOf(err) != "user_not_found" {
			t.Errorf("%s: %v, want user_not_found", name, err)
		}
	}
	disable := true
	if _, err := f.svc.UpdateUser(as(admin, false), bo.ID, identityapp.UpdateUser{Disabled: &disable}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Author(context.Background(), bo.Slug); codeOf(err) != "user_not_found" {
		t.Fatalf("disabled author: %v, want user_not_found", err)
	}
}
