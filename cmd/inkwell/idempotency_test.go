package main

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// Through the real router: a retried POST with the same Idempotency-Key creates one user and gets
// the first answer back; another body under that key is refused; other users' keys are separate.
func TestIdempotencyKeyThroughTheRouter(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		body := map[string]any{"email": "kim@example.com", "name": "Kim", "role": "author"}
		first := f.admin.Do("POST", "/api/v1/admin/users", body, "Idempotency-Key", "create-kim-1")
		if first.Status != http.StatusCreated {
			t.Fatalf("first: %d %s", first.Status, first.Body)
		}
		again := f.admin.Do("POST", "/api/v1/admin/users", body, "Idempotency-Key", "create-kim-1")
		if again.Status != http.StatusCreated || again.Header.Get("Idempotent-Replayed") != "true" ||
			string(again.Body) != string(first.Body) || again.Header.Get("Location") != first.Header.Get("Location") {
			t.Fatalf("replay: %d %v %s", again.Status, again.Header, again.Body)
		}
		other := map[string]any{"email": "lee@example.com", "name": "Lee", "role": "author"}
		if r := f.admin.Do("POST", "/api/v1/admin/users", other, "Idempotency-Key", "create-kim-1"); r.Status != 422 || r.Code(t) != "idempotency_key_reused" {
			t.Fatalf("same key, other body: %d %s", r.Status, r.Body)
		}
		if r := f.admin.Do("POST", "/api/v1/admin/users", body, "Idempotency-Key", "bad\x01key"); r.Status != 400 || r.Code(t) != "invalid_idempotency_key" {
			t.Fatalf("malformed key: %d %s", r.Status, r.Body)
		}
		list := f.admin.Do("GET", "/api/v1/admin/users?limit=100", nil).Map(t)["data"].([]any)
		if len(list) != 2 { // the admin and Kim, once
			t.Fatalf("want 2 users after a replayed create, got %d", len(list))
		}
	})
}

// Many concurrent retries of one POST create exactly one resource; the others are replays or 409s.
func TestConcurrentRetriesCreateOnce(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		body := map[string]any{"name": "ci", "user_id": f.adminID}
		var wg sync.WaitGroup
		statuses := make(chan int, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- f.admin.Do("POST", "/api/v1/admin/tokens", body, "Idempotency-Key", "token-ci").Status
			}()
		}
		wg.Wait()
		close(statuses)
		for s := range statuses {
			if s != http.StatusCreated && s != http.StatusConflict {
				t.Errorf("concurrent retry answered %d", s)
			}
		}
		tokens := f.admin.Do("GET", "/api/v1/admin/tokens?limit=100", nil).Map(t)["data"].([]any)
		if len(tokens) != 2 { // the bootstrap token and one "ci" token
			t.Fatalf("20 concurrent retries left %d tokens, want 2", len(tokens))
		}
	})
}

// A token is shown once and stored nowhere, not even as an idempotent replay: a retry of its
// creation learns that it succeeded and where the token is, but never gets the secret again.
func TestSecretsAreNeverKeptForReplay(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		f := newIdentityFixture(t, d)
		body := map[string]any{"name": "deploy", "user_id": f.adminID}
		first := f.admin.Do("POST", "/api/v1/admin/tokens", body, "Idempotency-Key", "token-once")
		if first.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", first.Status, first.Body)
		}
		secret := first.Map(t)["token"].(string)
		retry := f.admin.Do("POST", "/api/v1/admin/tokens", body, "Idempotency-Key", "token-once")
		if retry.Status != http.StatusConflict || retry.Code(t) != "idempotent_answer_withheld" ||
			retry.Header.Get("Idempotent-Replayed") != "true" || strings.Contains(string(retry.Body), secret) {
			t.Fatalf("retry: %d %v %s", retry.Status, retry.Header, retry.Body)
		}
		var stored []byte
		if err := f.app.DB.Gorm.Raw("SELECT response_body FROM idempotency_keys").Row().Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(stored), secret) || len(stored) != 0 {
			t.Fatalf("the idempotency record keeps a body (%d bytes) for an answer that carried a secret", len(stored))
		}
		if n := len(f.admin.Do("GET", "/api/v1/admin/tokens?limit=100", nil).Map(t)["data"].([]any)); n != 2 {
			t.Fatalf("the retry created another token: %d tokens", n)
		}
	})
}
