package persistence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// TestLoggedSQLCarriesNoValues runs a query with a secret value while every query is logged (debug)
// and while every query counts as slow (warn, as in production), and checks the value is in neither.
func TestLoggedSQLCarriesNoValues(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects(t) {
		for _, slow := range []time.Duration{0, time.Nanosecond} {
			cfg := testdb.Config(t, d)
			cfg.SlowQueryThreshold = slow
			core, logs := observer.New(zapcore.DebugLevel)
			db, cleanup, err := persistence.Open(cfg, zap.New(core))
			if err != nil {
				t.Fatal(err)
			}
			err = db.Conn(context.Background()).Exec("SELECT CAST(? AS TEXT)", "whsec_do-not-log-me").Error
			cleanup()
			if err != nil {
				t.Fatalf("%s: query: %v", d, err)
			}
			logged := false
			for _, e := range logs.All() {
				sql, _ := e.ContextMap()["sql"].(string)
				if strings.Contains(sql, "SELECT CAST(") {
					logged = true
				}
				if strings.Contains(sql, "do-not-log-me") {
					t.Errorf("%s (slow threshold %v): the logged SQL holds the value: %s", d, slow, sql)
				}
			}
			if !logged {
				t.Errorf("%s (slow threshold %v): the query was not logged, so this test proves nothing", d, slow)
			}
		}
	}
}
