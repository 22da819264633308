package main

import (
	"fmt"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TestEachRoleCanDoExactlyItsIdentityActions drives every identity endpoint as every role (and as a
// read-only admin token) and checks the status: DESIGN.md's roles, end to end, on both databases.
func TestEachRoleCanDoExactlyItsIdentityActions(t *testing.T) {
	t.Parallel()
	type actorKind struct {
		role     string
		readOnly bool
	}
	kinds := []actorKind{{"admin", false}, {"editor", false}, {"author", false}, {"contributor", false}, {"viewer", false}, {"admin", true}}
	// want maps an action to the status each kind of actor gets, in the order of kinds.
	want := []struct {
		action   string
		statuses [6]int
	}{
		{"get me", [6]int{200, 200, 200, 200, 200, 200}},
		{"list users", [6]int{200, 403, 403, 403, 403, 200}},
		{"get a user", [6]int{200, 403, 403, 403, 403, 200}},
		{"create a user", [6]int{201, 403, 403, 403, 403, 403}},
		{"patch a user", [6]int{200, 403, 403, 403, 403, 403}},
		{"issue own token", [6]int{201, 201, 201, 201, 201, 403}},
		{"issue another's token", [6]int{201, 403, 403, 403, 403, 403}},
		{"list own tokens", [6]int{200, 200, 200, 200, 200, 200}},
		{"list another's tokens", [6]int{200, 403, 403, 403, 403, 200}},
		{"revoke another's token", [6]int{204, 403, 403, 403, 403, 403}},
		{"revoke own token", [6]int{204, 204, 204, 204, 204, 403}},
	}
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		for i, k := range kinds {
			name := fmt.Sprintf("%s read-only=%v", k.role, k.readOnly)
			a := f.actor(t, fmt.Sprintf("Actor %d", i), k.role, k.readOnly)
			target := f.createUser(t, fmt.Sprintf("Target %d", i), "viewer")
			targetToken, _ := f.issueToken(t, target, false)
			ownSpare, _ := f.issueToken(t, a.userID, false)
			do := map[string]func() int{
				"get me":     func() int { return a.client.Do("GET", "/api/v1/admin/me", nil).Status },
				"list users": func() int { return a.client.Do("GET", "/api/v1/admin/users", nil).Status },
				"get a user": func() int { return a.client.Do("GET", "/api/v1/admin/users/"+target, nil).Status },
				"create a user": func() int {
					body := map[string]any{"email": fmt.Sprintf("new%d@example.com", i), "name": "New", "role": "viewer"}
					return a.client.Do("POST", "/api/v1/admin/users", body).Status
				},
				"patch a user": func() int {
					return a.client.Do("PATCH", "/api/v1/admin/users/"+target, map[string]any{"bio": "hi"}).Status
				},
				"issue own token": func() int { return a.client.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "mine"}).Status },
				"issue another's token": func() int {
					return a.client.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "x", "user_id": target}).Status
				},
				"list own tokens":        func() int { return a.client.Do("GET", "/api/v1/admin/tokens", nil).Status },
				"list another's tokens":  func() int { return a.client.Do("GET", "/api/v1/admin/tokens?user_id="+target, nil).Status },
				"revoke another's token": func() int { return a.client.Do("DELETE", "/api/v1/admin/tokens/"+targetToken, nil).Status },
				"revoke own token":       func() int { return a.client.Do("DELETE", "/api/v1/admin/tokens/"+ownSpare, nil).Status },
			}
			for _, w := range want {
				if got := do[w.action](); got != w.statuses[i] {
					t.Errorf("%s: %s answered %d, want %d", name, w.action, got, w.statuses[i])
				}
			}
		}
	})
}
