package metrics_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestSchedulerMetricsCountPublishes(t *testing.T) {
	t.Parallel()
	reg := metrics.New(testdb.Open(t, config.DialectSQLite))
	m := metrics.NewSchedulerMetrics(reg)
	m.ScheduledPublished(2)
	m.ScheduledPublished(3)
	rec := httptest.NewRecorder()
	reg.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "inkwell_scheduled_publishes_total 5") {
		t.Fatalf("counter not exported as 5:\n%s", rec.Body.String())
	}
}
