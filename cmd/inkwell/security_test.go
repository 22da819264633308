package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// The hostile-client cases of least privilege, end to end through the real router (the SSRF address
// table is in webhook_validation_test.go, /metrics off the API listener in serve_test.go).

func TestManagementAnswersArePrivateNoStore(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		a := createArticle(t, f.admin, "Private", nil)
		tagID, _, _ := createTag(t, f.admin, "Go")
		answers := map[string]int{}
		for _, path := range []string{"/me", "/users", "/users/" + f.adminID, "/tokens", "/webhooks", "/articles",
			"/articles/" + a.ID, "/articles/" + a.ID + "/revisions", "/tags", "/tags/" + tagID, "/articles/nope"} {
			r := f.admin.Do("GET", "/api/v1/admin"+path, nil)
			answers[path] = r.Status
			if cc := r.Header.Get("Cache-Control"); cc != "private, no-store" && (r.Status < 400 || cc != "no-store") {
				t.Errorf("GET %s: %d with Cache-Control %q", path, r.Status, cc)
			}
		}
		if answers["/articles/nope"] != 404 {
			t.Errorf("the problem case was not a problem: %v", answers)
		}
		for what, r := range map[string]*http.Header{
			"create article": &f.admin.Do("POST", "/api/v1/admin/articles", map[string]any{"title": "Two"}).Header,
			"create token":   &f.admin.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "ci"}).Header,
			"create webhook": &f.admin.Do("POST", "/api/v1/admin/webhooks", map[string]any{"url": publicHookURL, "events": []string{"tag.created"}}).Header,
		} {
			if cc := r.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("%s: Cache-Control %q", what, cc)
			}
		}
		if cc := f.app.Client.Do("GET", "/api/v1/tags", nil).Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
			t.Errorf("a public answer became private: %q", cc)
		}
	})
}

func TestIdempotencyKeyIsBoundToTheToken(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		editor := f.actor(t, "Ed Itor", "editor", false)
		_, roPlain := f.issueToken(t, editor.userID, true)
		readOnly := f.app.Client.WithToken(roPlain)
		tag := map[string]any{"name": "Replayed"}

		first := editor.client.Do("POST", "/api/v1/admin/tags", tag, "Idempotency-Key", "k1")
		mustStatus(t, first, 201, "read-write create")
		r := readOnly.Do("POST", "/api/v1/admin/tags", tag, "Idempotency-Key", "k1")
		if r.Status != 422 || r.Code(t) != "idempotency_key_reused" || r.Header.Get("Idempotent-Replayed") != "" ||
			strings.Contains(string(r.Body), first.Map(t)["id"].(string)) {
			t.Fatalf("read-only token with the read-write token's key: %d %s", r.Status, r.Body)
		}
		if r := editor.client.Do("POST", "/api/v1/admin/tags", tag, "Idempotency-Key", "k1"); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the read-write token's own retry: %d %v", r.Status, r.Header)
		}

		// The read-only token's 403 is not stored: it does not spoil the key for the read-write token.
		other := map[string]any{"name": "Second"}
		for range 2 {
			if r := readOnly.Do("POST", "/api/v1/admin/tags", other, "Idempotency-Key", "k2"); r.Status != 403 || r.Header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("read-only write: %d %s", r.Status, r.Body)
			}
		}
		if r := editor.client.Do("POST", "/api/v1/admin/tags", other, "Idempotency-Key", "k2"); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("read-write after the read-only 403 under the same key: %d %s", r.Status, r.Body)
		}
	})
}

func TestMintingTokensBuysNoMoreRequests(t *testing.T) {
	t.Parallel()
	f := newIdentityFixture(t, config.DialectSQLite, func(c *config.Config) {
		c.RateLimit.TokenRPS, c.RateLimit.TokenBurst = 0.01, 4
	})
	ed := f.actor(t, "Ed Itor", "editor", false)
	// Ed mints tokens with his own token: each creation spends his bucket too.
	minted := 0
	var plains []string
	for range 2 {
		r := ed.client.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "more"})
		if r.Status == 201 {
			minted++
			plains = append(plains, r.Map(t)["token"].(string))
		}
	}
	if minted != 2 {
		t.Fatalf("minted %d tokens within the burst", minted)
	}
	allowed := 0
	for i := range 12 {
		c := ed.client
		if i%3 > 0 {
			c = f.app.Client.WithToken(plains[i%3-1])
		}
		if r := c.Do("GET", "/api/v1/admin/me", nil); r.Status == 200 {
			allowed++
		} else if r.Status != 429 || r.Code(t) != "rate_limited" {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	if allowed != 2 { // the burst of 4 less the 2 creations, whatever token is used
		t.Fatalf("%d of 12 requests over three tokens passed, want 2 (one bucket per user)", allowed)
	}
	if r := f.admin.Do("GET", "/api/v1/admin/me", nil); r.Status != 200 {
		t.Fatalf("another user is not limited by Ed's bucket: %d", r.Status)
	}
}

func TestAUserHoldsAtMostTheCapOfActiveTokens(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d, func(c *config.Config) { c.Identity.MaxActiveTokens = 3 })
		ed := f.actor(t, "Ed Itor", "editor", false) // token 1
		f.issueToken(t, ed.userID, true)             // token 2
		r := ed.client.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "third"})
		third := mustStatus(t, r, 201, "third token").Map(t)["id"].(string)
		for _, c := range []struct {
			who  string
			body map[string]any
		}{{"ed", map[string]any{"name": "fourth"}}, {"admin", map[string]any{"name": "fourth", "user_id": ed.userID}}} {
			client := ed.client
			if c.who == "admin" {
				client = f.admin
			}
			r := client.Do("POST", "/api/v1/admin/tokens", c.body)
			if r.Status != 422 || r.Code(t) != "too_many_tokens" || r.Map(t)["max_active_tokens"] != float64(3) {
				t.Fatalf("fourth token by %s: %d %s", c.who, r.Status, r.Body)
			}
		}
		mustStatus(t, ed.client.Do("DELETE", "/api/v1/admin/tokens/"+third, nil), 204, "revoke")
		mustStatus(t, ed.client.Do("POST", "/api/v1/admin/tokens", map[string]any{"name": "after revoking"}), 201, "token after a revocation")
	})
}

func TestOnlyPublishedEnabledAuthorsHaveAProfile(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		writer := f.actor(t, "Wren Writer", "author", false)
		f.createUser(t, "Vi Ewer", "viewer")
		profile := func(slug string) int { return f.app.Client.Do("GET", "/api/v1/authors/"+slug, nil).Status }
		draft := createArticle(t, writer.client, "Draft", nil)
		for slug, what := range map[string]string{"wren-writer": "an author with only a draft", "vi-ewer": "a viewer",
			"admin": "the admin", "nobody": "an unknown slug"} {
			if got := profile(slug); got != 404 {
				t.Errorf("%s: %d, want 404", what, got)
			}
		}
		published := asArticle(t, mustStatus(t, act(writer.client, draft, "publish", nil), 200, "publish"))
		if got := profile("wren-writer"); got != 200 {
			t.Fatalf("a published author: %d", got)
		}
		mustStatus(t, act(writer.client, published, "unpublish", nil), 200, "unpublish")
		if got := profile("wren-writer"); got != 404 {
			t.Fatalf("after unpublishing the only article: %d", got)
		}
		publishArticle(t, writer.client, "Again", nil)
		r := f.admin.Do("PATCH", "/api/v1/admin/users/"+writer.userID, map[string]any{"disabled": true})
		mustStatus(t, r, 200, "disable")
		if got := profile("wren-writer"); got != 404 {
			t.Fatalf("a disabled author: %d", got)
		}
	})
}

func TestDerivedExcerptHoldsNoMarkup(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		body := "Intro &lt;img src=x onerror=alert(1)&gt; and \\<svg onload=alert(2)\\> then `<b>code</b>`, with a < b.\n\n" +
			"<script>alert(3)</script> Rest."
		a := publishArticle(t, f.admin, "Escapes", map[string]any{"body_markdown": body})
		for _, r := range []map[string]any{
			f.app.Client.Do("GET", "/api/v1/articles/"+a.Slug, nil).Map(t),
			f.admin.Do("GET", articlesPath+"/"+a.ID, nil).Map(t),
		} {
			excerpt := r["excerpt"].(string)
			for _, bad := range []string{"<img", "<svg", "<b>", "<script", "onerror", "onload"} {
				if strings.Contains(excerpt, bad) {
					t.Errorf("the derived excerpt %q holds %q", excerpt, bad)
				}
			}
			if !strings.Contains(excerpt, "Intro") || !strings.Contains(excerpt, "a < b") {
				t.Errorf("the excerpt lost its text: %q", excerpt)
			}
			if html := r["body_html"].(string); strings.Contains(html, "<img") || strings.Contains(html, "<script") || !strings.Contains(html, "&lt;img") {
				t.Errorf("body_html is not the sanitized rendering: %s", html)
			}
		}
	})
}
