package main

import (
	"context"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// identityFixture is an app whose first admin exists, with a client acting as that admin.
type identityFixture struct {
	app     *testApp
	admin   *apitest.Client
	adminID string
}

func newIdentityFixture(t *testing.T, d config.Dialect, adjust ...func(*config.Config)) *identityFixture {
	t.Helper()
	return bootstrapFixture(t, newTestApp(t, d, adjust...))
}

func bootstrapFixture(t *testing.T, app *testApp) *identityFixture {
	t.Helper()
	res, err := app.Identity.Bootstrap(context.Background(), "admin@example.com")
	if err != nil || !res.Created {
		t.Fatalf("bootstrap: %+v, %v", res, err)
	}
	return &identityFixture{app: app, admin: app.Client.WithToken(res.Token.Plaintext), adminID: res.Admin.ID}
}

// createUser makes a user through the API and returns its id.
func (f *identityFixture) createUser(t *testing.T, name, role string) string {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	r := f.admin.Do("POST", "/api/v1/admin/users", map[string]any{"email": email, "name": name, "role": role})
	if r.Status != 201 {
		t.Fatalf("create user %s: %d %s", name, r.Status, r.Body)
	}
	return r.Map(t)["id"].(string)
}

// issueToken makes a token for userID through the API and returns its id and plaintext.
func (f *identityFixture) issueToken(t *testing.T, userID string, readOnly bool) (id, plaintext string) {
	t.Helper()
	r := f.admin.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "test", "user_id": userID, "read_only": readOnly})
	if r.Status != 201 {
		t.Fatalf("issue token: %d %s", r.Status, r.Body)
	}
	m := r.Map(t)
	return m["id"].(string), m["token"].(string)
}

// actor is a user of some role with a client using one of their tokens.
type actor struct {
	userID    string
	tokenID   string
	plaintext string
	client    *apitest.Client
}

func (f *identityFixture) actor(t *testing.T, name, role string, readOnly bool) actor {
	t.Helper()
	id := f.createUser(t, name, role)
	tokID, plain := f.issueToken(t, id, readOnly)
	return actor{userID: id, tokenID: tokID, plaintext: plain, client: f.app.Client.WithToken(plain)}
}
