package authz_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

const (
	self  = "user-self"
	other = "user-other"
)

// actions are every policy question, phrased for a principal whose user id is self.
var actions = []struct {
	name string
	can  func(p authz.Principal) bool
}{
	{"read", authz.CanRead},
	{"create article", authz.CanCreateArticle},
	{"edit own draft", func(p authz.Principal) bool { return authz.CanEditArticle(p, self, true) }},
	{"edit own published", func(p authz.Principal) bool { return authz.CanEditArticle(p, self, false) }},
	{"edit other's draft", func(p authz.Principal) bool { return authz.CanEditArticle(p, other, true) }},
	{"edit other's published", func(p authz.Principal) bool { return authz.CanEditArticle(p, other, false) }},
	{"publish own", func(p authz.Principal) bool { return authz.CanPublish(p, self) }},
	{"publish other's", func(p authz.Principal) bool { return authz.CanPublish(p, other) }},
	{"manage tags", authz.CanManageTags},
	{"list users", authz.CanListUsers},
	{"manage users", authz.CanManageUsers},
	{"manage webhooks", authz.CanManageWebhooks},
	{"see own tokens", func(p authz.Principal) bool { return authz.CanSeeTokensOf(p, self) }},
	{"see other's tokens", func(p authz.Principal) bool { return authz.CanSeeTokensOf(p, other) }},
	{"see all tokens", func(p authz.Principal) bool { return authz.CanSeeTokensOf(p, "") }},
	{"manage own tokens", func(p authz.Principal) bool { return authz.CanManageTokensOf(p, self) }},
	{"manage other's tokens", func(p authz.Principal) bool { return authz.CanManageTokensOf(p, other) }},
}

// allowed lists, per role, the actions a read-write token of that role may take; every other action
// must be refused. A read-only token may take only the actions in readOnlyAllowed.
var allowed = map[identity.Role][]string{
	identity.RoleAdmin: {"read", "create article", "edit own draft", "edit own published", "edit other's draft",
		"edit other's published", "publish own", "publish other's", "manage tags", "list users", "manage users",
		"manage webhooks", "see own tokens", "see other's tokens", "see all tokens", "manage own tokens", "manage other's tokens"},
	identity.RoleEditor: {"read", "create article", "edit own draft", "edit own published", "edit other's draft",
		"edit other's published", "publish own", "publish other's", "manage tags", "see own tokens", "manage own tokens"},
	identity.RoleAuthor: {"read", "create article", "edit own draft", "edit own published", "publish own",
		"see own tokens", "manage own tokens"},
	identity.RoleContributor: {"read", "create article", "edit own draft", "see own tokens", "manage own tokens"},
	identity.RoleViewer:      {"read", "see own tokens", "manage own tokens"},
}

var readOnlyAllowed = map[identity.Role][]string{
	identity.RoleAdmin:       {"read", "list users", "see own tokens", "see other's tokens", "see all tokens"},
	identity.RoleEditor:      {"read", "see own tokens"},
	identity.RoleAuthor:      {"read", "see own tokens"},
	identity.RoleContributor: {"read", "see own tokens"},
	identity.RoleViewer:      {"read", "see own tokens"},
}

func TestPoliciesCoverEveryRoleAndAction(t *testing.T) {
	t.Parallel()
	for _, readOnly := range []bool{false, true} {
		table := allowed
		if readOnly {
			table = readOnlyAllowed
		}
		for _, role := range identity.Roles {
			want := map[string]bool{}
			for _, a := range table[role] {
				want[a] = true
			}
			for _, a := range actions {
				t.Run(fmt.Sprintf("%s/read-only=%v/%s", role, readOnly, a.name), func(t *testing.T) {
					t.Parallel()
					p := authz.Principal{UserID: self, Role: role, TokenID: "tok", ReadOnly: readOnly}
					if got := a.can(p); got != want[a.name] {
						t.Fatalf("got %v, want %v", got, want[a.name])
					}
				})
			}
		}
	}
}

// TestTablesNameOnlyKnownActions keeps the tables honest: a typo would silently mean "refused".
func TestTablesNameOnlyKnownActions(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, a := range actions {
		known[a.name] = true
	}
	for _, table := range []map[identity.Role][]string{allowed, readOnlyAllowed} {
		if len(table) != len(identity.Roles) {
			t.Fatalf("a table covers %d roles, want %d", len(table), len(identity.Roles))
		}
		for role, names := range table {
			for _, n := range names {
				if !known[n] {
					t.Errorf("%s: unknown action %q", role, n)
				}
			}
		}
	}
}

func TestSystemPrincipalActsAsAdminButOwnsNothing(t *testing.T) {
	t.Parallel()
	if !authz.CanManageUsers(authz.System) || !authz.CanPublish(authz.System, other) || !authz.CanManageTokensOf(authz.System, other) {
		t.Fatal("the system principal must be allowed everything")
	}
	unknownRole := authz.Principal{UserID: self, Role: "ghost"}
	for _, a := range actions {
		if a.can(unknownRole) && !strings.Contains(a.name, "own") {
			t.Errorf("an unknown role may %s", a.name)
		}
	}
}

func TestRequireAndDeny(t *testing.T) {
	t.Parallel()
	if _, err := authz.Require(context.Background()); !errors.Is(err, shared.ErrUnauthorized) {
		t.Fatalf("no principal: want unauthorized, got %v", err)
	}
	want := authz.Principal{UserID: self, Role: identity.RoleViewer}
	if got, err := authz.Require(authz.WithPrincipal(context.Background(), want)); err != nil || got != want {
		t.Fatalf("Require = %+v, %v", got, err)
	}
	err := authz.Deny(authz.Principal{Role: identity.RoleAuthor}, "manage users")
	if !errors.Is(err, shared.ErrForbidden) || !strings.Contains(err.Error(), "author role may not manage users") {
		t.Fatalf("role denial: %v", err)
	}
	err = authz.Deny(authz.Principal{Role: identity.RoleAdmin, ReadOnly: true}, "manage users")
	if !errors.Is(err, shared.ErrForbidden) || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("read-only denial: %v", err)
	}
}
