package contract

import (
	"context"
	"crypto/sha256"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// IdentityHarness is a fresh, empty store with the user and token repositories under test.
type IdentityHarness struct {
	Users  identity.UserRepository
	Tokens identity.TokenRepository
}

// IdentityRepositories is the contract of identity.UserRepository and identity.TokenRepository.
func IdentityRepositories(t *testing.T, open func(t *testing.T) IdentityHarness) {
	t.Run("users", func(t *testing.T) {
		t.Parallel()
		userLifecycle(t, open(t).Users)
	})
	t.Run("tokens", func(t *testing.T) {
		t.Parallel()
		tokenLifecycle(t, open(t))
	})
}

func addUser(t *testing.T, repo identity.UserRepository, name, slug, email string) *identity.User {
	t.Helper()
	u, err := identity.NewUser(identity.NewUserParams{ID: newID(), Name: name, Slug: slug, Email: email, Role: identity.RoleAuthor,
		Bio: "bio", AvatarURL: "https://example.com/a.png", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Add(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func userLifecycle(t *testing.T, repo identity.UserRepository) {
	ctx := context.Background()
	if any, err := repo.Any(ctx); err != nil || any {
		t.Fatalf("empty table: Any = %v, %v", any, err)
	}
	ann := addUser(t, repo, "Ann Lee", "ann-lee", "ann@example.com")
	if any, err := repo.Any(ctx); err != nil || !any {
		t.Fatalf("after add: Any = %v, %v", any, err)
	}
	for name, get := range map[string]func() (*identity.User, error){
		"id":    func() (*identity.User, error) { return repo.Get(ctx, ann.ID()) },
		"email": func() (*identity.User, error) { return repo.GetByEmail(ctx, "ann@example.com") },
		"slug":  func() (*identity.User, error) { return repo.GetBySlug(ctx, "ann-lee") },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("by %s: %v", name, err)
		}
		if got.State() != ann.State() {
			t.Fatalf("by %s: round trip:\n got %+v\nwant %+v", name, got.State(), ann.State())
		}
	}
	for name, get := range map[string]func() error{
		"unknown id":       func() error { _, err := repo.Get(ctx, newID()); return err },
		"malformed id":     func() error { _, err := repo.Get(ctx, "not-a-uuid"); return err },
		"unknown email":    func() error { _, err := repo.GetByEmail(ctx, "bo@example.com"); return err },
		"unknown slug":     func() error { _, err := repo.GetBySlug(ctx, "bo"); return err },
		"unqueryable slug": func() error { _, err := repo.GetBySlug(ctx, "ann\x00"); return err },
	} {
		if err := get(); !errors.Is(err, identity.ErrUserNotFound) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	dupEmail, _ := identity.NewUser(identity.NewUserParams{ID: newID(), Name: "X", Slug: "x", Email: "ann@example.com", Role: identity.RoleViewer, Now: t0})
	if err := repo.Add(ctx, dupEmail); !errors.Is(err, identity.ErrEmailTaken) {
		t.Fatalf("duplicate email: %v", err)
	}
	dupSlug, _ := identity.NewUser(identity.NewUserParams{ID: newID(), Name: "X", Slug: "ann-lee", Email: "x@example.com", Role: identity.RoleViewer, Now: t0})
	if err := repo.Add(ctx, dupSlug); !errors.Is(err, identity.ErrSlugTaken) {
		t.Fatalf("duplicate slug: %v", err)
	}

	addUser(t, repo, "Ann Lee", "ann-lee-2", "ann2@example.com")
	addUser(t, repo, "Ann Leeway", "ann-leeway", "ann3@example.com")
	slugs, err := repo.SlugsLike(ctx, "ann-lee")
	slices.Sort(slugs)
	if err != nil || !slices.Equal(slugs, []string{"ann-lee", "ann-lee-2"}) {
		t.Fatalf("SlugsLike(ann-lee) = %v, %v; want ann-lee and ann-lee-2 but not ann-leeway", slugs, err)
	}

	first, err := repo.List(ctx, identity.Page{Limit: 2})
	if err != nil || len(first) != 2 || first[0].ID() != ann.ID() {
		t.Fatalf("first page: %d, %v", len(first), err)
	}
	rest, err := repo.List(ctx, identity.Page{AfterID: first[1].ID(), Limit: 10})
	if err != nil || len(rest) != 1 || rest[0].Slug() != "ann-leeway" {
		t.Fatalf("second page: %d, %v", len(rest), err)
	}
	if after, err := repo.List(ctx, identity.Page{AfterID: "garbage", Limit: 10}); err != nil || len(after) != 0 {
		t.Fatalf("after an id no row can have: %d, %v", len(after), err)
	}

	stale, _ := repo.Get(ctx, ann.ID())
	later := t0.Add(time.Hour)
	if err := ann.ChangeRole(identity.RoleEditor, later); err != nil {
		t.Fatal(err)
	}
	ann.Disable(later)
	if err := repo.Save(ctx, ann, 1); err != nil {
		t.Fatal(err)
	}
	if got, _ := repo.Get(ctx, ann.ID()); got.State() != ann.State() || got.Version() != 2 {
		t.Fatalf("after save:\n got %+v\nwant %+v", got.State(), ann.State())
	}
	if err := stale.Rename("Lost Update", later); err != nil {
		t.Fatal(err)
	}
	if err := repo.Save(ctx, stale, 1); !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(2) {
		t.Fatalf("stale save: %v (current_version %v)", err, currentVersionOf(err))
	}
	if err := repo.Save(ctx, dupEmail, 1); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("save of a user never stored: %v", err)
	}
}

func tokenLifecycle(t *testing.T, stores IdentityHarness) {
	ctx, repo := context.Background(), stores.Tokens
	ann := addUser(t, stores.Users, "Ann", "ann", "ann@example.com")
	bo := addUser(t, stores.Users, "Bo", "bo", "bo@example.com")
	expires := t0.Add(30 * 24 * time.Hour)
	newToken := func(userID, secret string, exp *time.Time) *identity.APIToken {
		h := sha256.Sum256([]byte(secret))
		tok, err := identity.NewAPIToken(identity.NewTokenParams{ID: newID(), UserID: userID, Name: secret,
			Prefix: "ink_" + secret, Hash: h[:], ReadOnly: exp != nil, ExpiresAt: exp, Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	add := func(owner *identity.User, secret string, exp *time.Time) *identity.APIToken {
		tok := newToken(owner.ID(), secret, exp)
		if err := repo.Add(ctx, tok); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	a1, a2, b1 := add(ann, "a1", &expires), add(ann, "a2", nil), add(bo, "b1", nil)
	if err := repo.Add(ctx, newToken(newID(), "orphan", nil)); err == nil {
		t.Fatal("a token of a user who does not exist was stored")
	}
	if err := repo.Add(ctx, newToken(ann.ID(), "a1", nil)); err == nil {
		t.Fatal("a second token with the same hash was stored")
	}

	h := sha256.Sum256([]byte("a1"))
	if got, err := repo.GetByHash(ctx, h[:]); err != nil || !reflect.DeepEqual(got.State(), a1.State()) {
		t.Fatalf("by hash: %+v, %v", got, err)
	}
	if got, err := repo.Get(ctx, b1.ID()); err != nil || !reflect.DeepEqual(got.State(), b1.State()) {
		t.Fatalf("by id: %+v, %v", got, err)
	}
	other := sha256.Sum256([]byte("nope"))
	if _, err := repo.GetByHash(ctx, other[:]); !errors.Is(err, identity.ErrTokenNotFound) {
		t.Fatalf("unknown hash: %v", err)
	}
	credentialLookup(t, repo, h[:], other[:], a1, ann)
	for _, id := range []string{newID(), "x"} {
		if _, err := repo.Get(ctx, id); !errors.Is(err, identity.ErrTokenNotFound) {
			t.Fatalf("id %q: %v", id, err)
		}
	}

	ids := func(ts []*identity.APIToken) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID())
		}
		return out
	}
	if got, err := repo.List(ctx, identity.TokenFilter{UserID: ann.ID(), Page: identity.Page{Limit: 10}}); err != nil || !slices.Equal(ids(got), []string{a1.ID(), a2.ID()}) {
		t.Fatalf("ann's tokens: %v, %v", ids(got), err)
	}
	if got, err := repo.List(ctx, identity.TokenFilter{Page: identity.Page{AfterID: a1.ID(), Limit: 1}}); err != nil || !slices.Equal(ids(got), []string{a2.ID()}) {
		t.Fatalf("one token after a1: %v, %v", ids(got), err)
	}
	if got, err := repo.List(ctx, identity.TokenFilter{UserID: "not-a-uuid", Page: identity.Page{Limit: 10}}); err != nil || len(got) != 0 {
		t.Fatalf("tokens of a malformed user id: %v, %v", ids(got), err)
	}
	if got, err := repo.List(ctx, identity.TokenFilter{Page: identity.Page{AfterID: "garbage", Limit: 10}}); err != nil || len(got) != 0 {
		t.Fatalf("after an id no row can have: %v, %v", ids(got), err)
	}

	revokedAt := t0.Add(time.Minute)
	a2.Revoke(revokedAt)
	if err := repo.SaveRevocation(ctx, a2); err != nil {
		t.Fatal(err)
	}
	// A second revocation (another node, a retry) must not move the first time.
	later := revokedAt.Add(time.Hour)
	if err := repo.SaveRevocation(ctx, identity.RestoreAPIToken(identity.TokenState{ID: a2.ID(), RevokedAt: &later})); err != nil {
		t.Fatal(err)
	}
	if got, _ := repo.Get(ctx, a2.ID()); !reflect.DeepEqual(got.State(), a2.State()) {
		t.Fatalf("after revocation:\n got %+v\nwant %+v", got.State(), a2.State())
	}
	// Active = neither revoked (a2) nor expired (a1 at expires and after).
	for at, want := range map[time.Time]int{t0.Add(time.Hour): 1, expires.Add(-time.Second): 1, expires: 0} {
		if n, err := repo.CountActive(ctx, ann.ID(), at); err != nil || n != want {
			t.Fatalf("ann's active tokens at %s: %d, %v; want %d", at, n, err, want)
		}
	}
	if n, err := repo.CountActive(ctx, bo.ID(), expires); err != nil || n != 1 {
		t.Fatalf("bo's active tokens: %d, %v", n, err)
	}
	if n, err := repo.CountActive(ctx, "not-a-uuid", t0); err != nil || n != 0 {
		t.Fatalf("active tokens of a malformed id: %d, %v", n, err)
	}

	use1, use0 := t0.Add(2*time.Minute), t0.Add(time.Minute)
	for _, at := range []time.Time{use1, use0} {
		if err := repo.TouchLastUsed(ctx, b1.ID(), at); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := repo.Get(ctx, b1.ID()); got.LastUsedAt() == nil || !got.LastUsedAt().Equal(use1) {
		t.Fatalf("last_used_at = %v, want %v (never backwards)", got.LastUsedAt(), use1)
	}
	if err := repo.TouchLastUsed(ctx, newID(), use1); err != nil {
		t.Fatalf("touch an unknown token: %v", err)
	}
}

// credentials is identityapp.Credentials (the application port authentication reads), which every
// token repository implements.
type credentials interface {
	GetCredential(ctx context.Context, hash []byte) (*identity.APIToken, *identity.User, error)
}

// credentialLookup checks the token with hash comes with its whole user in one lookup.
func credentialLookup(t *testing.T, repo identity.TokenRepository, hash, unknown []byte, tok *identity.APIToken, owner *identity.User) {
	t.Helper()
	creds, ok := repo.(credentials)
	if !ok {
		t.Fatalf("%T does not implement GetCredential", repo)
	}
	gotTok, gotUser, err := creds.GetCredential(context.Background(), hash)
	if err != nil || !reflect.DeepEqual(gotTok.State(), tok.State()) || !reflect.DeepEqual(gotUser.State(), owner.State()) {
		t.Fatalf("credential: %+v, %+v, %v", gotTok, gotUser, err)
	}
	if _, _, err := creds.GetCredential(context.Background(), unknown); !errors.Is(err, identity.ErrTokenNotFound) {
		t.Fatalf("credential of an unknown hash: %v", err)
	}
}
