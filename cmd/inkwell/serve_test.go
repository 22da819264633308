package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap/zaptest"

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
