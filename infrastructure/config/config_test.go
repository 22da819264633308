package config_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestDefaultsNeedNoFileAndNoEnvironment(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Addr != "127.0.0.1:8080" || cfg.Database.URL != "sqlite:data/inkwell.db" || cfg.HTTP.BodyLimit != 2<<20 {
		t.Fatalf("unexpected defaults: %+v", cfg)
	}
}

func TestEnvironmentOverridesFileWhichOverridesDefaults(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inkwell.yaml")
	data := "http:\n  addr: 0.0.0.0:9000\n  cors_origins: [https://a.example, https://b.example]\nlog:\n  level: debug\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, env(map[string]string{
		"INKWELL_LOG_LEVEL":              "warn",
		"INKWELL_WEBHOOK_RETRY_SCHEDULE": "1s, 2s",
		"INKWELL_RATE_LIMIT_PUBLIC_RPS":  "12.5",
		"INKWELL_TEST_DATABASE_URL":      "ignored: not a setting",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Addr != "0.0.0.0:9000" {
		t.Errorf("file value lost: addr %q", cfg.HTTP.Addr)
	}
	if cfg.Log.Level != "warn" {
		t.Errorf("environment should win over the file: level %q", cfg.Log.Level)
	}
	if want := []string{"https://a.example", "https://b.example"}; !reflect.DeepEqual(cfg.HTTP.CORSOrigins, want) {
		t.Errorf("cors origins %v, want %v", cfg.HTTP.CORSOrigins, want)
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !reflect.DeepEqual(cfg.Webhook.RetrySchedule, want) {
		t.Errorf("retry schedule %v, want %v", cfg.Webhook.RetrySchedule, want)
	}
	if cfg.RateLimit.PublicRPS != 12.5 {
		t.Errorf("public rps %v", cfg.RateLimit.PublicRPS)
	}
}

func TestBadSettingsAreNamedWithTheirValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"INKWELL_LOG_LEVEL": "loud"}, `INKWELL_LOG_LEVEL: unknown level "loud"`},
		{map[string]string{"INKWELL_LOG_FORMAT": "xml"}, `INKWELL_LOG_FORMAT: unknown format "xml"`},
		{map[string]string{"INKWELL_HTTP_READ_TIMEOUT": "soon"}, `INKWELL_HTTP_READ_TIMEOUT: not a duration`},
		{map[string]string{"INKWELL_HTTP_BODY_LIMIT": "big"}, `INKWELL_HTTP_BODY_LIMIT: not a whole number`},
		{map[string]string{"INKWELL_HTTP_BODY_LIMIT": "0"}, `INKWELL_HTTP_BODY_LIMIT: must be a positive`},
		{map[string]string{"INKWELL_DATABASE_URL": "mysql://x"}, `INKWELL_DATABASE_URL: unsupported database URL`},
		{map[string]string{"INKWELL_DATABASE_AUTO_MIGRATE": "maybe"}, `INKWELL_DATABASE_AUTO_MIGRATE: not a boolean`},
		{map[string]string{"INKWELL_REDIS_URL": "http://x"}, `INKWELL_REDIS_URL: not a redis://`},
		{map[string]string{"INKWELL_DATABASE_REPLICA_URLS": "postgres://r:5432/db"}, `INKWELL_DATABASE_REPLICA_URLS: read replicas need a PostgreSQL primary`},
		{map[string]string{"INKWELL_DATABASE_URL": "postgres://p:5432/db", "INKWELL_DATABASE_REPLICA_URLS": "postgres://r:5432/db,sqlite:x.db"},
			`INKWELL_DATABASE_REPLICA_URLS: not a postgres:// URL: "sqlite:x.db"`},
		{map[string]string{"INKWELL_DATABASE_URL": "postgres://p:5432/db", "INKWELL_DATABASE_REPLICA_URLS": "postgres://r/db", "INKWELL_DATABASE_REPLICA_POLL": "0s"},
			`INKWELL_DATABASE_REPLICA_URLS: database.replica_poll must be positive`},
		{map[string]string{"INKWELL_REDIS_TIMEOUT": "0s"}, `INKWELL_REDIS_TIMEOUT: must be a positive duration`},
		{map[string]string{"INKWELL_REDIS_BREAKER_FAILURES": "0"}, `INKWELL_REDIS_BREAKER_FAILURES: must be at least 1`},
		{map[string]string{"INKWELL_WEBHOOK_RETRY_SCHEDULE": "5s,-1s"}, `INKWELL_WEBHOOK_RETRY_SCHEDULE: not a list of positive durations`},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load("", env(tc.env))
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestUnknownKeyInFileIsRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "inkwell.yaml")
	if err := os.WriteFile(path, []byte("http:\n  listen_on: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(path, env(nil)); err == nil || !strings.Contains(err.Error(), "http.listen_on") {
		t.Fatalf("want an error naming http.listen_on, got %v", err)
	}
}

func TestShippedConfigFileIsTheDefaults(t *testing.T) {
	t.Parallel()
	var want bytes.Buffer
	def := config.Default()
	if err := config.WriteYAML(&want, &def); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "configs", "inkwell.yaml")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("configs/inkwell.yaml is stale: run make generate")
	}
	loaded, err := config.Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*loaded, def) {
		t.Fatalf("loading configs/inkwell.yaml does not give the defaults:\n got %+v\nwant %+v", *loaded, def)
	}
}
