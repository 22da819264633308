package main

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != dbPostgres || c.AdminURL != defaultAdminURL || c.Articles != 10_000 || c.VUs != 64 ||
		c.Duration != 20*time.Second || c.DeepPages != 90 || c.K6 != "bin/k6" || c.KeepDB || !c.runs("a") || c.DatabaseName != defaultBenchDatabase {
		t.Errorf("defaults = %+v", c)
	}
}

func TestLoadConfigOverrides(t *testing.T) {
	t.Parallel()
	c, err := loadConfig(env(map[string]string{"BENCH_DB": "SQLite", "BENCH_ARTICLES": "1_000_000", "BENCH_VUS": "8",
		"BENCH_DURATION": "3s", "BENCH_KEEP_DB": "1", "BENCH_SCENARIOS": "gc, g"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != dbSQLite || c.Articles != 1_000_000 || c.VUs != 8 || c.Duration != 3*time.Second || c.DeepPages != 9000 || !c.KeepDB ||
		!c.runs("gc") || !c.runs("g") || c.runs("a") {
		t.Errorf("config = %+v", c)
	}
}

func TestLoadConfigRejects(t *testing.T) {
	t.Parallel()
	for name, value := range map[string]string{
		"BENCH_DB": "mysql", "BENCH_ARTICLES": "1000001", "BENCH_VUS": "0", "BENCH_DURATION": "500ms", "BENCH_TAGS": "many",
	} {
		_, err := loadConfig(env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: error %v, want one naming the variable", name, value, err)
		}
	}
}

func TestWithDatabase(t *testing.T) {
	t.Parallel()
	got, err := withDatabase("postgres://u:secret@db:5432/postgres?sslmode=disable", defaultBenchDatabase)
	if err != nil || got != "postgres://u:secret@db:5432/inkwell_bench?sslmode=disable" {
		t.Errorf("withDatabase = %q, %v", got, err)
	}
	if _, err := withDatabase("mysql://db/x", defaultBenchDatabase); err == nil {
		t.Error("withDatabase accepted a mysql URL")
	}
	if r := redact("postgres://u:secret@db/x"); strings.Contains(r, "secret") {
		t.Errorf("redact = %q", r)
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	got := words([]summaryItem{{Title: "Practical caching in production"}, {Title: "Fast APIs: caching at scale"}})
	if strings.Join(got, ",") != "practical,caching,production,scale" {
		t.Errorf("words = %v", got)
	}
}
