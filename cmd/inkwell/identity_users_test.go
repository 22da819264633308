package main

import (
	"sort"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// fieldsOf returns the sorted field names of a 422 problem.
func fieldsOf(t *testing.T, r *apitest.Response) string {
	t.Helper()
	var p struct{ Errors []struct{ Field string } }
	r.JSON(t, &p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestUserInputIsValidated(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d, func(c *config.Config) { c.HTTP.BodyLimit = 4096 })
		post := func(body any) *apitest.Response { return f.admin.Do("POST", "/api/v1/admin/users", body) }
		cases := []struct {
			name   string
			body   any
			status int
			code   string
			fields string
		}{
			{"bad email, empty name, unknown role", map[string]any{"email": "nope", "name": "", "role": "owner"}, 422, "validation_failed", "email,name,role"},
			{"missing everything", map[string]any{}, 422, "validation_failed", "email,name,role"},
			{"avatar not http", map[string]any{"email": "a@example.com", "name": "A", "role": "viewer", "avatar_url": "ftp://x/y"}, 422, "validation_failed", "avatar_url"},
			{"unknown field", `{"email": "a@example.com", "name": "A", "role": "viewer", "admin": true}`, 400, "unknown_field", ""},
			{"malformed JSON", `{"email": `, 400, "invalid_json", ""},
			{"trailing data", `{"email": "a@example.com", "name": "A", "role": "viewer"} []`, 400, "invalid_json", ""},
			{"wrong type", `{"email": 1, "name": "A", "role": "viewer"}`, 400, "invalid_json", ""},
			{"too large", map[string]any{"email": "a@example.com", "name": "A", "role": "viewer", "bio": strings.Repeat("b", 5000)}, 413, "body_too_large", ""},
			{"duplicate email in another case", map[string]any{"email": "ADMIN@example.com", "name": "A", "role": "viewer"}, 409, "email_taken", ""},
		}
		for _, c := range cases {
			r := post(c.body)
			if r.Status != c.status || r.Code(t) != c.code || (c.fields != "" && fieldsOf(t, r) != c.fields) {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
		}
	})
}

func TestPatchUserIsAMergePatch(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		id := f.createUser(t, "Pat Ch", "contributor")
		path := "/api/v1/admin/users/" + id
		r := f.admin.Do("PATCH", path, map[string]any{"role": "author", "bio": "Writes.", "avatar_url": "https://example.com/p.png"},
			"Content-Type", "application/merge-patch+json")
		if r.Status != 200 || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("patch: %d %s %q", r.Status, r.Body, r.Header.Get("ETag"))
		}
		r = f.admin.Do("PATCH", path, `{"bio": null, "avatar_url": null}`, "If-Match", `"2"`)
		m := r.Map(t)
		if r.Status != 200 || m["bio"] != "" || m["avatar_url"] != "" || m["role"] != "author" || m["name"] != "Pat Ch" || m["version"] != float64(3) {
			t.Fatalf("clearing with null: %d %s", r.Status, r.Body)
		}
		cases := []struct {
			name    string
			body    any
			headers []string
			status  int
			code    string
			fields  string
		}{
			{"null where a value is required", `{"name": null, "role": null, "disabled": null}`, nil, 422, "validation_failed", "disabled,name,role"},
			{"invalid values", map[string]any{"name": "", "role": "boss", "bio": strings.Repeat("x", 1001)}, nil, 422, "validation_failed", "bio,name,role"},
			{"stale If-Match", map[string]any{"bio": "x"}, []string{"If-Match", `"1"`}, 412, "version_conflict", ""},
			{"malformed If-Match", map[string]any{"bio": "x"}, []string{"If-Match", "three"}, 400, "invalid_if_match", ""},
			{"unknown field", `{"email": "x@example.com"}`, nil, 400, "unknown_field", ""},
		}
		for _, c := range cases {
			r := f.admin.Do("PATCH", path, c.body, c.headers...)
			if r.Status != c.status || r.Code(t) != c.code || (c.fields != "" && fieldsOf(t, r) != c.fields) {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
		}
		if r := f.admin.Do("PATCH", path, map[string]any{"bio": "x"}, "If-Match", `"1"`); r.Map(t)["current_version"] != float64(3) {
			t.Errorf("412 lacks current_version: %s", r.Body)
		}
		if r := f.admin.Do("PATCH", "/api/v1/admin/users/"+f.adminID, map[string]any{"role": "viewer"}); r.Status != 409 || r.Code(t) != "self_lockout" {
			t.Errorf("demoting oneself: %d %s", r.Status, r.Body)
		}
		for _, missing := range []string{"0190a5c0-0000-7000-8000-000000000000", "not-a-uuid"} {
			if r := f.admin.Do("GET", "/api/v1/admin/users/"+missing, nil); r.Status != 404 || r.Code(t) != "user_not_found" {
				t.Errorf("GET unknown user %s: %d %s", missing, r.Status, r.Body)
			}
		}
	})
}

func TestListsPageAndNeverCarrySecrets(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		var secrets []string
		for _, name := range []string{"Ann One", "Bo Two", "Cy Three"} {
			_, plain := f.issueToken(t, f.createUser(t, name, "viewer"), false)
			secrets = append(secrets, plain)
		}
		var page struct {
			Data []map[string]any
			Meta struct {
				Limit      int
				NextCursor *string `json:"next_cursor"`
				HasMore    bool    `json:"has_more"`
			}
		}
		var seen []string
		cursor := ""
		for range 3 {
			r := f.admin.Do("GET", "/api/v1/admin/users?limit=2"+cursor, nil)
			page.Data, page.Meta.NextCursor = nil, nil
			r.JSON(t, &page)
			for _, u := range page.Data {
				seen = append(seen, u["name"].(string))
			}
			if !page.Meta.HasMore {
				break
			}
			cursor = "&cursor=" + *page.Meta.NextCursor
		}
		if strings.Join(seen, ",") != "Administrator,Ann One,Bo Two,Cy Three" || page.Meta.NextCursor != nil {
			t.Fatalf("paged users: %v, last meta %+v", seen, page.Meta)
		}
		r := f.admin.Do("GET", "/api/v1/admin/tokens", nil)
		body := string(r.Body)
		for _, forbidden := range append(secrets, `"hash"`, `"token"`, "ink_") {
			if strings.Contains(strings.ReplaceAll(body, `"prefix":"ink_`, ""), forbidden) {
				t.Fatalf("token list contains %q: %s", forbidden, body)
			}
		}
		if page := r.Map(t); len(page["data"].([]any)) != 4 {
			t.Fatalf("admin sees %d tokens, want 4", len(page["data"].([]any)))
		}
		for query, code := range map[string]string{"limit=0": "invalid_parameter", "limit=101": "invalid_parameter", "limit=ten": "invalid_parameter",
			"cursor=%25%25": "invalid_cursor", "cursor=Z2FyYmFnZQ": "invalid_cursor", "sort=name": "unknown_parameter"} {
			r := f.admin.Do("GET", "/api/v1/admin/users?"+query, nil)
			if r.Code(t) != code {
				t.Errorf("?%s: %d %s, want %s", query, r.Status, r.Body, code)
			}
		}
	})
}

func TestAuthorProfileIsPublicAndCacheable(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		zoe := f.actor(t, "Zoë Müller", "author", false)
		id := zoe.userID
		publishArticle(t, zoe.client, "First words", nil) // only published authors have a profile
		f.admin.Do("PATCH", "/api/v1/admin/users/"+id, map[string]any{"bio": "Writes about ink."})
		r := f.app.Client.Do("GET", "/api/v1/authors/zoe-muller", nil)
		m := r.Map(t)
		if r.Status != 200 || m["name"] != "Zoë Müller" || m["bio"] != "Writes about ink." || len(m) != 4 {
			t.Fatalf("author: %d %s", r.Status, r.Body)
		}
		etag := r.Header.Get("ETag")
		if etag == "" || !strings.HasPrefix(r.Header.Get("Cache-Control"), "public, max-age=") {
			t.Fatalf("caching headers: %v", r.Header)
		}
		if r := f.app.Client.Do("GET", "/api/v1/authors/zoe-muller", nil, "If-None-Match", etag); r.Status != 304 || len(r.Body) != 0 {
			t.Fatalf("If-None-Match: %d %s", r.Status, r.Body)
		}
		f.admin.Do("PATCH", "/api/v1/admin/users/"+id, map[string]any{"bio": "Changed."})
		if r := f.app.Client.Do("GET", "/api/v1/authors/zoe-muller", nil, "If-None-Match", etag); r.Status != 200 {
			t.Fatalf("changed profile with an old ETag: %d", r.Status)
		}
		for _, slug := range []string{"nobody", "%00", "%FF%FE", "a%00b"} {
			if r := f.app.Client.Do("GET", "/api/v1/authors/"+slug, nil); r.Status != 404 || r.Code(t) != "user_not_found" {
				t.Fatalf("author %q: %d %s", slug, r.Status, r.Body)
			}
		}
	})
}
