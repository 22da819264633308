package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// testApp is the full wire graph on a fresh database, driven through the real router.
type testApp struct {
	*App
	Client *apitest.Client
	Config *config.Config
}

// newTestApp boots the application exactly as serve does, on a fresh migrated database of dialect d.
func newTestApp(t *testing.T, d config.Dialect, adjust ...func(*config.Config)) *testApp {
	t.Helper()
	return newTestAppLogging(t, d, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)), adjust...)
}

// newTestAppLogging is newTestApp writing its logs to log (to inspect what is logged).
func newTestAppLogging(t *testing.T, d config.Dialect, log *zap.Logger, adjust ...func(*config.Config)) *testApp {
	t.Helper()
	cfg := config.Default()
	cfg.Database = testdb.Config(t, d)
	cfg.Log.AccessLog = false
	// A test machine running many suites at once can stall a healthy Redis call past the 100 ms
	// default, which would open the breaker and turn a cache test into a database one; the
	// degradation tests set the default back.
	cfg.Redis.Timeout = 2 * time.Second
	// Tests send requests far faster than a reader: the public limit (on by default) is off here,
	// and the tests of the limit turn it on with their own quota.
	cfg.RateLimit.PublicRPS = 0
	for _, fn := range adjust {
		fn(&cfg)
	}
	app, cleanup, err := newApp(&cfg, log)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	t.Cleanup(cleanup)
	if _, err := app.Migrator.Up(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return &testApp{App: app, Client: apitest.New(t, app.Server.Handler), Config: &cfg}
}

// forEachDialect runs fn on a fresh app per database dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, d config.Dialect)) {
	t.Helper()
	for _, d := range testdb.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// scrapeMetrics reads GET /metrics from the app's metrics listener handler (metrics are not served on
// the API router), as the operators' scraper does.
func (a *testApp) scrapeMetrics(t *testing.T) string {
	t.Helper()
	rec := httptest.NewRecorder()
	newMetricsServer("", a.Metrics.Handler()).Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}
