//go:build reliability

package reliability

import (
	"context"
	"testing"
)

// (h) Least privilege against the real binary: the SSRF address table at create, the cross-token
// idempotency replay, and minting tokens against the per-user rate limit.
func TestHostileClientsGetNoMoreThanTheirPrivileges(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db database) {
		s := start(t, db, "INKWELL_RATE_LIMIT_TOKEN_RPS=0.5", "INKWELL_RATE_LIMIT_TOKEN_BURST=40")
		admin := s.client(s.token)

		// The translation and tunnel prefixes and the ranges the first guard missed, each leading
		// to the cloud metadata address or another internal one.
		urls := []string{
			"http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "http://[64:ff9b::7f00:1]/", "http://[64:ff9b:1::a9fe:a9fe]/",
			"http://[2002:a9fe:a9fe::1]/", "http://[2002:7f00:1::1]/", "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
			"http://[2001:0:a9fe:a9fe::1]/", "http://[::a9fe:a9fe]/", "http://[::ffff:169.254.169.254]/",
			"http://198.18.0.1/", "http://192.0.0.170/", "http://[fec0::1]/", "http://169.254.169.254/",
			"http://[fd00::1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://localhost/", "http://[::1]/",
			"http://203.0.113.1/", "http://[2001:db8::1]/", "http://224.0.0.1/", "http://240.0.0.1/",
		}
		refused := 0
		for _, u := range urls {
			r, err := admin.do(context.Background(), "POST", "/api/v1/admin/webhooks", map[string]any{"url": u, "events": []string{"tag.created"}})
			if err != nil {
				t.Fatal(err)
			}
			if r.status == 422 && r.json(t)["code"] == "webhook_url_refused" {
				refused++
			} else {
				t.Errorf("%s: %d %s", u, r.status, r.body)
			}
		}

		// One editor, a read-write and a read-only token.
		user := admin.must(t, 201, "POST", "/api/v1/admin/users", map[string]any{"email": "ed@example.com", "name": "Ed", "role": "editor"}).json(t)["id"]
		mint := func(readOnly bool) *client {
			tok := admin.must(t, 201, "POST", "/api/v1/admin/tokens", map[string]any{"name": "t", "user_id": user, "read_only": readOnly}).json(t)["token"]
			return s.client(tok.(string))
		}
		rw, ro := mint(false), mint(true)
		rw.must(t, 201, "POST", "/api/v1/admin/tags", map[string]any{"name": "Mine"}, "Idempotency-Key", "k")
		replay, err := ro.do(context.Background(), "POST", "/api/v1/admin/tags", map[string]any{"name": "Mine"}, "Idempotency-Key", "k")
		if err != nil || replay.status != 422 || replay.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("read-only token with the read-write token's key: %d %s, %v", replay.status, replay.body, err)
		}
		forbidden, _ := ro.do(context.Background(), "POST", "/api/v1/admin/tags", map[string]any{"name": "Other"}, "Idempotency-Key", "k2")
		retried, _ := rw.do(context.Background(), "POST", "/api/v1/admin/tags", map[string]any{"name": "Other"}, "Idempotency-Key", "k2")
		if forbidden.status != 403 || retried.status != 201 {
			t.Fatalf("the read-only 403 spoiled the key: %d then %d", forbidden.status, retried.status)
		}

		// Mint more tokens for the editor, then spend them all at once: one bucket per user.
		clients := []*client{rw, ro}
		for range 6 {
			clients = append(clients, mint(false))
		}
		allowed, limited := 0, 0
		for i := range 200 {
			r, err := clients[i%len(clients)].do(context.Background(), "GET", "/api/v1/admin/me", nil)
			if err != nil {
				t.Fatal(err)
			}
			switch r.status {
			case 200:
				allowed++
			case 429:
				limited++
			default:
				t.Fatalf("request %d: %d %s", i, r.status, r.body)
			}
		}
		// The burst (40) less the 4 writes above, plus what refills (0.5/s) while the loop runs.
		if allowed > 45 {
			t.Fatalf("%d of 200 requests over %d tokens passed: tokens multiply the limit", allowed, len(clients))
		}
		report("(h) %s: %d/%d SSRF translation-prefix and special-range URLs refused at create; read-only token "+
			"with a read-write token's Idempotency-Key → %d, its 403 not stored (read-write retry → %d); "+
			"200 requests over %d tokens of one user (burst 40) → %d allowed, %d × 429",
			db.dialect, refused, len(urls), replay.status, retried.status, len(clients), allowed, limited)
	})
}
