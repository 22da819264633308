package identity_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func codeOf(err error) string {
	var de *shared.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func asSystem() context.Context { return authz.WithPrincipal(context.Background(), authz.System) }

func as(u identityapp.UserView, readOnly bool) context.Context {
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: u.ID, Role: u.Role, TokenID: "t", ReadOnly: readOnly})
}

func (f *fixture) user(t *testing.T, name string, role identity.Role) identityapp.UserView {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	u, err := f.svc.CreateUser(asSystem(), identityapp.CreateUser{Email: email, Name: name, Role: string(role)})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCreateUserNeedsAnAdminAndPicksAFreeSlug(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	editor := f.user(t, "Ed Ito", identity.RoleEditor)
	cmd := identityapp.CreateUser{Email: "other.ann@example.com", Name: "Ann  Lée", Role: "author"}
	if _, err := f.svc.CreateUser(context.Background(), cmd); codeOf(err) != "unauthorized" {
		t.Fatalf("no principal: %v", err)
	}
	if _, err := f.svc.CreateUser(as(editor, false), cmd); codeOf(err) != "forbidden" {
		t.Fatalf("editor: %v", err)
	}
	if _, err := f.svc.CreateUser(as(admin, true), cmd); codeOf(err) != "forbidden" {
		t.Fatalf("read-only admin: %v", err)
	}
	u, err := f.svc.CreateUser(as(admin, false), cmd)
	if err != nil || u.Slug != "ann-lee-2" {
		t.Fatalf("second Ann Lee: slug %q, %v", u.Slug, err)
	}
	cmd.Email = "ANN.LEE@example.com"
	if _, err := f.svc.CreateUser(as(admin, false), cmd); !errors.Is(err, identity.ErrEmailTaken) {
		t.Fatalf("duplicate email in another case: %v", err)
	}
	if u := f.user(t, "李小龙", identity.RoleViewer); u.Slug != "li-xiao-long" {
		t.Fatalf("a name in another script is transliterated: got slug %q", u.Slug)
	}
	if u := f.user(t, "???", identity.RoleViewer); u.Slug != "user" {
		t.Fatalf("a name with nothing to slug got %q, want the fallback user", u.Slug)
	}
}

func TestUpdateUserAppliesAMergePatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	target := f.user(t, "Bo Kim", identity.RoleContributor)
	ctx := as(admin, false)
	str := func(s string) *string { return &s }
	yes := true

	same, err := f.svc.UpdateUser(ctx, target.ID, identityapp.UpdateUser{Name: str("Bo Kim")})
	if err != nil || same.Version != 1 {
		t.Fatalf("a patch changing nothing: version %d, %v", same.Version, err)
	}
	got, err := f.svc.UpdateUser(ctx, target.ID, identityapp.UpdateUser{Role: str("author"), Bio: str("Writes."), Disabled: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != identity.RoleAuthor || got.Bio != "Writes." || !got.Disabled || got.Version != 2 || got.Name != "Bo Kim" {
		t.Fatalf("after patch: %+v", got)
	}
	stale := shared.Version(1)
	_, err = f.svc.UpdateUser(ctx, target.ID, identityapp.UpdateUser{Bio: str(""), IfMatch: &stale})
	var de *shared.Error
	if !errors.As(err, &de) || de.Code != "version_conflict" || de.Details["current_version"] != int64(2) {
		t.Fatalf("stale If-Match: %v", err)
	}
	_, err = f.svc.UpdateUser(ctx, target.ID, identityapp.UpdateUser{Name: str(""), Role: str("boss"), AvatarURL: str("ftp://x")})
	if !errors.As(err, &de) || len(de.Fields) != 3 {
		t.Fatalf("three bad fields: %v", err)
	}
	if _, err := f.svc.UpdateUser(ctx, admin.ID, identityapp.UpdateUser{Disabled: &yes}); !errors.Is(err, identityapp.ErrSelfLockout) {
		t.Fatalf("disabling oneself: %v", err)
	}
	if _, err := f.svc.UpdateUser(ctx, "nope", identityapp.UpdateUser{}); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestListUsersPagesWithACursor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, n := range []string{"A One", "B Two", "C Three"} {
		f.user(t, n, identity.RoleViewer)
	}
	first, err := f.svc.ListUsers(asSystem(), listing.Request{Limit: 2})
	if err != nil || len(first.Items) != 2 || !first.HasMore || first.NextCursor == nil || first.NextCursor.Order != identityapp.UserOrder {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	second, err := f.svc.ListUsers(asSystem(), listing.Request{Limit: 2, After: first.NextCursor})
	if err != nil || len(second.Items) != 1 || second.HasMore || second.NextCursor != nil || second.Items[0].Name != "C Three" {
		t.Fatalf("second page: %+v, %v", second, err)
	}
}

func TestAuthenticateRefusesEveryUnusableToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	soon := f.clock.Now().Add(time.Hour)
	issue := func(owner identityapp.UserView, expires *time.Time, readOnly bool) identityapp.IssuedToken {
		tok, err := f.svc.CreateToken(asSystem(), identityapp.CreateToken{UserID: owner.ID, Name: "t", ExpiresAt: expires, ReadOnly: readOnly})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good, expiring, revoked := issue(admin, nil, true), issue(admin, &soon, false), issue(admin, nil, false)
	author := f.user(t, "Bo Kim", identity.RoleAuthor)
	ofDisabled := issue(author, nil, false)
	if _, err := f.svc.RevokeToken(asSystem(), revoked.ID); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := f.svc.UpdateUser(asSystem(), author.ID, identityapp.UpdateUser{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	for name, plain := range map[string]string{
		"malformed": "Basic abc", "unknown": "ink_unknown", "revoked": revoked.Plaintext,
		"expired": expiring.Plaintext, "disabled user": ofDisabled.Plaintext,
	} {
		if _, err := f.svc.Authenticate(context.Background(), plain); !errors.Is(err, identity.ErrInvalidToken) {
			t.Errorf("%s token: want invalid_token, got %v", name, err)
		}
	}
	p, err := f.svc.Authenticate(context.Background(), good.Plaintext)
	want := authz.Principal{UserID: admin.ID, Role: identity.RoleAdmin, TokenID: good.ID, ReadOnly: true, Slug: admin.Slug, Name: admin.Name}
	if err != nil || p != want {
		t.Fatalf("good token: %+v, %v", p, err)
	}
}

func TestTokenUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	tok, err := f.svc.CreateToken(as(admin, false), identityapp.CreateToken{Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	use := func(times int) {
		for range times {
			if _, err := f.svc.Authenticate(context.Background(), tok.Plaintext); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := f.clock.Now()
	use(50)
	f.clock.Advance(59 * time.Second)
	use(50)
	f.clock.Advance(time.Second)
	use(50)
	f.close() // writes what is pending and waits for the writer
	// The writer may coalesce the two due uses into one write of the later time when it runs late.
	got := f.tokens.touchTimes()
	want := start.Add(time.Minute)
	if len(got) == 0 || len(got) > 2 || !got[len(got)-1].Equal(want) || (len(got) == 2 && !got[0].Equal(start)) {
		t.Fatalf("150 uses over one minute wrote last_used_at at %v, want %v then %v (or only the latter)", got, start, want)
	}
}

func TestTokenOwnership(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.user(t, "Ann Lee", identity.RoleAdmin)
	author := f.user(t, "Bo Kim", identity.RoleAuthor)
	viewer := f.user(t, "Cy Ode", identity.RoleViewer)
	own, err := f.svc.CreateToken(as(viewer, false), identityapp.CreateToken{Name: "mine"})
	if err != nil || own.UserID != viewer.ID || !strings.HasPrefix(own.Plaintext, "ink_") {
		t.Fatalf("viewer's own token: %+v, %v", own, err)
	}
	if _, err := f.svc.CreateToken(as(author, false), identityapp.CreateToken{Name: "x", UserID: viewer.ID}); codeOf(err) != "forbidden" {
		t.Fatalf("author issuing for another: %v", err)
	}
	if _, err := f.svc.CreateToken(as(viewer, true), identityapp.CreateToken{Name: "x"}); codeOf(err) != "forbidden" {
		t.Fatalf("read-only token issuing: %v", err)
	}
	if _, err := f.svc.CreateToken(as(admin, false), identityapp.CreateToken{Name: "x", UserID: "nobody"}); codeOf(err) != "validation_failed" {
		t.Fatalf("admin issuing for an unknown user: %v", err)
	}
	if _, err := f.svc.RevokeToken(as(author, false), own.ID); codeOf(err) != "forbidden" {
		t.Fatalf("author revoking another's token: %v", err)
	}
	if _, err := f.svc.ListTokens(as(author, false), identityapp.ListTokens{UserID: viewer.ID, Page: listing.FirstPage()}); codeOf(err) != "forbidden" {
		t.Fatalf("author listing another's tokens: %v", err)
	}
	mine, err := f.svc.ListTokens(as(author, false), identityapp.ListTokens{Page: listing.FirstPage()})
	if err != nil || len(mine.Items) != 0 {
		t.Fatalf("author's own tokens: %+v, %v", mine, err)
	}
	all, err := f.svc.ListTokens(as(admin, true), identityapp.ListTokens{Page: listing.FirstPage()})
	if err != nil || len(all.Items) != 1 {
		t.Fatalf("read-only admin listing all: %+v, %v", all, err)
	}
	revoked, err := f.svc.RevokeToken(as(viewer, false), own.ID)
	if err != nil || revoked.RevokedAt == nil {
		t.Fatalf("revoking one's own: %+v, %v", revoked, err)
	}
	if again, err := f.svc.RevokeToken(as(admin, false), own.ID); err != nil || !again.RevokedAt.Equal(*revoked.RevokedAt) {
		t.Fatalf("revoking again: %+v, %v", again, err)
	}
}

func TestBootstrapCreatesTheFirstAdminOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first, err := f.svc.Bootstrap(context.Background(), "Root@Example.com")
	if err != nil || !first.Created || first.Admin.Role != identity.RoleAdmin || first.Admin.Email != "root@example.com" {
		t.Fatalf("first start: %+v, %v", first, err)
	}
	p, err := f.svc.Authenticate(context.Background(), first.Token.Plaintext)
	if err != nil || p.UserID != first.Admin.ID {
		t.Fatalf("the first token does not authenticate the admin: %+v, %v", p, err)
	}
	again, err := f.svc.Bootstrap(context.Background(), "root@example.com")
	if err != nil || again.Created || again.Token.Plaintext != "" {
		t.Fatalf("second start: %+v, %v", again, err)
	}
	if _, err := f.svc.Bootstrap(context.Background(), "not an email"); err != nil {
		t.Fatalf("a later start must not validate the unused email: %v", err)
	}
}
