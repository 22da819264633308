package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Database = testdb.Config(t, config.DialectSQLite)
	cfg.HTTP.Addr = freeAddr(t)
	log := zaptest.NewLogger(t)
	entered := make(chan struct{})
	build := func() (*App, func(), error) {
		app, cleanup, err := newApp(&cfg, log)
		if err == nil {
			app.Engine.GET("/slow", func(c *gin.Context) {
				close(entered)
				time.Sleep(300 * time.Millisecond)
				c.String(200, "done")
			})
		}
		return app, cleanup, err
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, serveOptions{ShutdownTimeout: 5 * time.Second, Migrate: true, AdminEmail: "admin@localhost", Stdout: io.Discard}, build, log)
	}()

	var res *http.Response
	var err error
	deadline := time.Now().Add(10 * time.Second)
	got := make(chan string, 1)
	go func() {
		for time.Now().Before(deadline) {
			if res, err = http.Get("http://" + cfg.HTTP.Addr + "/slow"); err == nil {
				body, _ := io.ReadAll(res.Body)
				_ = res.Body.Close()
				got <- string(body)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		got <- "never connected: " + err.Error()
	}()
	<-entered
	stop() // SIGTERM while /slow is in flight
	if body := <-got; body != "done" {
		t.Fatalf("in-flight request got %q, want done", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve returned %v, want a clean stop", err)
	}
}

func TestExitCodes(t *testing.T) {
	t.Setenv("INKWELL_LOG_LEVEL", "loud")
	if code := run([]string{"serve"}); code != exitUsage {
		t.Errorf("bad setting: exit %d, want %d", code, exitUsage)
	}
	t.Setenv("INKWELL_LOG_LEVEL", "info")
	if code := run([]string{"serve", "--no-such-flag"}); code != exitUsage {
		t.Errorf("bad flag: exit %d, want %d", code, exitUsage)
	}
	if code := run([]string{"migrate"}); code != exitUsage {
		t.Errorf("migrate without sub-command: exit %d, want %d", code, exitUsage)
	}
	if code := run([]string{"version"}); code != exitOK {
		t.Errorf("version: exit %d", code)
	}
	t.Setenv("INKWELL_DATABASE_URL", "sqlite:"+t.TempDir()+"/x.db")
	if code := run([]string{"migrate", "up"}); code != exitOK {
		t.Errorf("migrate up: exit %d", code)
	}
	if code := run([]string{"migrate", "status"}); code != exitOK {
		t.Errorf("migrate status: exit %d", code)
	}
}

// TestServeStartsTheSideListenersOnlyWhenSetAndOnlyThere: profiles and metrics are served on their
// own listeners, never on the API's.
func TestServeStartsTheSideListenersOnlyWhenSetAndOnlyThere(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Database = testdb.Config(t, config.DialectSQLite)
	cfg.HTTP.Addr, cfg.Debug.PprofAddr, cfg.Metrics.Addr = freeAddr(t), freeAddr(t), freeAddr(t)
	core, logs := observer.New(zap.InfoLevel)
	log := zap.New(core)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, serveOptions{ShutdownTimeout: 5 * time.Second, Migrate: true, AdminEmail: "admin@localhost",
			Stdout: io.Discard, PprofAddr: cfg.Debug.PprofAddr, MetricsAddr: cfg.Metrics.Addr}, newAppFunc(&cfg, log), log)
	}()
	get := func(url string) (int, string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			res, err := http.Get(url)
			if err == nil {
				body, _ := io.ReadAll(res.Body)
				_ = res.Body.Close()
				return res.StatusCode, string(body)
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s: %v", url, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if code, body := get("http://" + cfg.Debug.PprofAddr + "/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof listener /debug/pprof/: %d %.200q, want the profile index", code, body)
	}
	if code, _ := get("http://" + cfg.Debug.PprofAddr + "/debug/pprof/heap?debug=1"); code != 200 {
		t.Errorf("pprof listener heap profile: %d", code)
	}
	if code, _ := get("http://" + cfg.HTTP.Addr + "/api/v1/tags"); code != 200 {
		t.Errorf("API listener: %d", code)
	}
	code, body := get("http://" + cfg.Metrics.Addr + "/metrics")
	for _, want := range []string{"inkwell_http_requests_total", "inkwell_http_request_duration_seconds",
		"inkwell_http_requests_in_flight", "go_goroutines", "go_sql_open_connections"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("metrics listener: %d, lacks %s", code, want)
		}
	}
	if code, _ := get("http://" + cfg.Metrics.Addr + "/api/v1/tags"); code != http.StatusNotFound {
		t.Errorf("the metrics listener serves the API: %d", code)
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline", "/metrics"} {
		if code, _ := get("http://" + cfg.HTTP.Addr + path); code != http.StatusNotFound {
			t.Errorf("API listener %s: %d, want 404", path, code)
		}
	}
	warned := logs.FilterLevelExact(zap.WarnLevel).FilterMessageSnippet("pprof listener on " + cfg.Debug.PprofAddr + " — do not expose publicly")
	if warned.Len() != 1 {
		t.Errorf("want one warning naming the pprof address, got %v", logs.FilterLevelExact(zap.WarnLevel).All())
	}

	stop()
	if err := <-served; err != nil {
		t.Fatalf("serve returned %v, want a clean stop", err)
	}
	for _, addr := range []string{cfg.Debug.PprofAddr, cfg.Metrics.Addr} {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = conn.Close()
			t.Errorf("the side listener on %s still accepts connections after serve returned", addr)
		}
	}
}
