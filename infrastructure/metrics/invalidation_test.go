package metrics_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestInvalidationMetricsAreExposed(t *testing.T) {
	t.Parallel()
	reg := metrics.New(testdb.Open(t, config.DialectSQLite))
	m := metrics.NewInvalidationMetrics(reg)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	scrape := func() string {
		rec := httptest.NewRecorder()
		reg.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	m.InvalidationFailed(content.FailureCache)
	m.InvalidationFailed(content.FailureCache)
	m.InvalidationsApplied(3)
	m.InvalidationBacklogObserved(content.InvalidationBacklog{Pending: 4, Oldest: now.Add(-12 * time.Second)}, now)
	body := scrape()
	for _, line := range []string{
		`inkwell_cache_invalidations_applied_total 3`,
		`inkwell_cache_invalidation_failures_total{reason="cache"} 2`,
		`inkwell_cache_invalidation_failures_total{reason="database"} 0`,
		`inkwell_cache_invalidations_pending 4`,
		`inkwell_cache_invalidation_oldest_pending_age_seconds 12`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("missing %q", line)
		}
	}
	m.InvalidationBacklogObserved(content.InvalidationBacklog{}, now)
	if body := scrape(); !strings.Contains(body, "inkwell_cache_invalidation_oldest_pending_age_seconds 0\n") ||
		!strings.Contains(body, "inkwell_cache_invalidations_pending 0\n") {
		t.Error("an empty backlog must report 0 pending, age 0")
	}
}
