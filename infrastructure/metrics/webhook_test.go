package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestWebhookMetricsAreExposed(t *testing.T) {
	t.Parallel()
	reg := metrics.New(testdb.Open(t, config.DialectSQLite))
	m := metrics.NewWebhookMetrics(reg)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	m.AttemptMade(false, 30*time.Millisecond)
	m.AttemptMade(false, 40*time.Millisecond)
	m.AttemptMade(true, 10*time.Millisecond)
	m.DeliveryFinished(webhook.StatusDelivered)
	m.QueueObserved(webhookapp.QueueStats{Pending: 7, OldestPending: now.Add(-90 * time.Second)}, now)

	rec := httptest.NewRecorder()
	reg.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, line := range []string{
		`inkwell_webhook_attempts_total{result="failure"} 2`,
		`inkwell_webhook_attempts_total{result="success"} 1`,
		`inkwell_webhook_deliveries_total{outcome="delivered"} 1`,
		`inkwell_webhook_deliveries_total{outcome="failed"} 0`,
		`inkwell_webhook_attempt_duration_seconds_count 3`,
		`inkwell_webhook_queue_depth 7`,
		`inkwell_webhook_oldest_pending_age_seconds 90`,
	} {
		if !strings.Contains(string(body), line+"\n") {
			t.Errorf("missing %q", line)
		}
	}
	m.QueueObserved(webhookapp.QueueStats{}, now)
	rec = httptest.NewRecorder()
	reg.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "inkwell_webhook_oldest_pending_age_seconds 0\n") {
		t.Error("an empty queue must report age 0")
	}
}
