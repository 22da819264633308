package main

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/logging"
)

// TestLogsNeverContainAWebhookSecret logs everything, SQL included, while webhook secrets are
// created, rotated (both with Idempotency-Key, so the idempotency store sees them too) and used to
// sign deliveries, one of which fails, and looks for the secrets in the output.
func TestLogsNeverContainAWebhookSecret(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		var sink lockedBuffer
		log, err := logging.NewTo(config.Log{Level: "debug", Format: "json", AccessLog: true}, &sink)
		if err != nil {
			t.Fatal(err)
		}
		f := bootstrapFixture(t, newTestAppLogging(t, d, log, func(c *config.Config) {
			c.Log.AccessLog = true
			c.Webhook.AllowPrivateTargets = true
			c.Webhook.RetrySchedule = []time.Duration{20 * time.Millisecond}
			c.Webhook.PollInterval = 10 * time.Millisecond
		}))
		rc := &hookReceiver{failFirst: 1}
		srv := httptest.NewServer(rc)
		t.Cleanup(srv.Close)
		body := map[string]any{"url": srv.URL, "events": []string{"tag.created"}}
		created := f.admin.Do("POST", "/api/v1/admin/webhooks", body, "Idempotency-Key", "create-1").Map(t)
		id := created["id"].(string)
		rotated := f.admin.Do("POST", "/api/v1/admin/webhooks/"+id+"/rotate-secret", nil, "Idempotency-Key", "rotate-1")
		if rotated.Status != 200 {
			t.Fatalf("rotate: %d %s", rotated.Status, rotated.Body)
		}
		f.admin.Do("PATCH", "/api/v1/admin/webhooks/"+id, map[string]any{"url": "ftp://x"}, "If-Match", `"2"`)
		startRelay(t, f.app)
		appendEvent(t, f.app, "tag.created", map[string]any{"slug": "go"})
		f.deliveredAfter(t, id, 2)

		out := sink.String()
		if !strings.Contains(out, `"logger":"sql"`) || !strings.Contains(out, "webhook attempt failed") {
			t.Fatalf("the SQL log or the failed attempt's warning is missing, so this test proves nothing:\n%s", out)
		}
		for _, secret := range []string{created["secret"].(string), rotated.Map(t)["secret"].(string)} {
			if value := strings.TrimPrefix(secret, "whsec_"); strings.Contains(out, value) {
				t.Fatalf("the logs contain the webhook secret %q:\n%s", value, out)
			}
		}
	})
}
