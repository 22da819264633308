package persistence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

var created = time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)

func addUser(t *testing.T, repo *persistence.UserRepository, name, slug, email string) *identity.User {
	t.Helper()
	u, err := identity.NewUser(identity.NewUserParams{ID: newID(), Name: name, Slug: slug, Email: email, Role: identity.RoleAuthor,
		Bio: "bio", AvatarURL: "https://example.com/a.png", Now: created})
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Add(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUserRepositoryContract(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo := persistence.NewUserRepository(db)
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
			if got.Email() != ann.Email() || got.Name() != ann.Name() || got.Role() != ann.Role() || got.Bio() != "bio" ||
				got.AvatarURL() != ann.AvatarURL() || got.Version() != 1 || !got.CreatedAt().Equal(created) || got.CreatedAt().Location() != time.UTC {
				t.Fatalf("by %s: round trip changed the user: %+v", name, got)
			}
		}
		for name, id := range map[string]string{"unknown": newID(), "malformed": "not-a-uuid"} {
			if _, err := repo.Get(ctx, id); !errors.Is(err, identity.ErrUserNotFound) {
				t.Fatalf("%s id: %v", name, err)
			}
		}
		dupEmail, _ := identity.NewUser(identity.NewUserParams{ID: newID(), Name: "X", Slug: "x", Email: "ann@example.com", Role: identity.RoleViewer, Now: created})
		if err := repo.Add(ctx, dupEmail); !errors.Is(err, identity.ErrEmailTaken) {
			t.Fatalf("duplicate email: %v", err)
		}
		dupSlug, _ := identity.NewUser(identity.NewUserParams{ID: newID(), Name: "X", Slug: "ann-lee", Email: "x@example.com", Role: identity.RoleViewer, Now: created})
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
		later := created.Add(time.Hour)
		if err := ann.ChangeRole(identity.RoleEditor, later); err != nil {
			t.Fatal(err)
		}
		ann.Disable(later)
		if err := repo.Save(ctx, ann, 1); err != nil {
			t.Fatal(err)
		}
		got, _ := repo.Get(ctx, ann.ID())
		if got.Version() != 2 || got.Role() != identity.RoleEditor || !got.Disabled() || !got.UpdatedAt().Equal(later) {
			t.Fatalf("after save: %+v", got)
		}
		if err := stale.Rename("Lost Update", later); err != nil {
			t.Fatal(err)
		}
		if err := repo.Save(ctx, stale, 1); !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(2) {
			t.Fatalf("stale save: %v (current_version %v)", err, currentVersionOf(err))
		}
	})
}

func TestTokenRepositoryContract(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		users := persistence.NewUserRepository(db)
		repo := persistence.NewTokenRepository(db)
		ann := addUser(t, users, "Ann", "ann", "ann@example.com")
		bo := addUser(t, users, "Bo", "bo", "bo@example.com")
		expires := created.Add(30 * 24 * time.Hour)
		add := func(owner *identity.User, secret string, exp *time.Time) *identity.APIToken {
			h := sha256.Sum256([]byte(secret))
			tok, err := identity.NewAPIToken(identity.NewTokenParams{ID: newID(), UserID: owner.ID(), Name: secret,
				Prefix: "ink_" + secret, Hash: h[:], ReadOnly: exp != nil, ExpiresAt: exp, Now: created})
			if err != nil {
				t.Fatal(err)
			}
			if err := repo.Add(ctx, tok); err != nil {
				t.Fatal(err)
			}
			return tok
		}
		a1, a2, b1 := add(ann, "a1", &expires), add(ann, "a2", nil), add(bo, "b1", nil)

		h := sha256.Sum256([]byte("a1"))
		got, err := repo.GetByHash(ctx, h[:])
		if err != nil || got.ID() != a1.ID() || !bytes.Equal(got.Hash(), h[:]) || !got.ReadOnly() ||
			!got.ExpiresAt().Equal(expires) || got.LastUsedAt() != nil || got.RevokedAt() != nil || !got.CreatedAt().Equal(created) {
			t.Fatalf("by hash: %+v, %v", got, err)
		}
		other := sha256.Sum256([]byte("nope"))
		if _, err := repo.GetByHash(ctx, other[:]); !errors.Is(err, identity.ErrTokenNotFound) {
			t.Fatalf("unknown hash: %v", err)
		}
		if _, err := repo.Get(ctx, "x"); !errors.Is(err, identity.ErrTokenNotFound) {
			t.Fatalf("malformed id: %v", err)
		}

		annsTokens, err := repo.List(ctx, identity.TokenFilter{UserID: ann.ID(), Page: identity.Page{Limit: 10}})
		if err != nil || len(annsTokens) != 2 || annsTokens[0].ID() != a1.ID() || annsTokens[1].ID() != a2.ID() {
			t.Fatalf("ann's tokens: %d, %v", len(annsTokens), err)
		}
		after, err := repo.List(ctx, identity.TokenFilter{Page: identity.Page{AfterID: a2.ID(), Limit: 10}})
		if err != nil || len(after) != 1 || after[0].ID() != b1.ID() {
			t.Fatalf("every token after a2: %d, %v", len(after), err)
		}

		revokedAt := created.Add(time.Minute)
		a2.Revoke(revokedAt)
		if err := repo.SaveRevocation(ctx, a2); err != nil {
			t.Fatal(err)
		}
		// A second revocation (another node, a retry) must not move the first time.
		later := revokedAt.Add(time.Hour)
		if err := repo.SaveRevocation(ctx, identity.RestoreAPIToken(identity.TokenState{ID: a2.ID(), RevokedAt: &later})); err != nil {
			t.Fatal(err)
		}
		if got, _ := repo.Get(ctx, a2.ID()); !got.RevokedAt().Equal(revokedAt) {
			t.Fatalf("revoked_at moved to %v", got.RevokedAt())
		}

		use1, use0 := created.Add(2*time.Minute), created.Add(time.Minute)
		if err := repo.TouchLastUsed(ctx, b1.ID(), use1); err != nil {
			t.Fatal(err)
		}
		if err := repo.TouchLastUsed(ctx, b1.ID(), use0); err != nil {
			t.Fatal(err)
		}
		if got, _ := repo.Get(ctx, b1.ID()); !got.LastUsedAt().Equal(use1) {
			t.Fatalf("last_used_at = %v, want %v (never backwards)", got.LastUsedAt(), use1)
		}
	})
}

func TestLockerNeedsATransaction(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		l := persistence.NewLocker(db)
		if err := l.LockTx(context.Background(), "x"); err == nil {
			t.Fatal("a lock outside a transaction was taken")
		}
		err := persistence.NewTxManager(db).Do(context.Background(), func(ctx context.Context) error {
			return l.LockTx(ctx, "x")
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
