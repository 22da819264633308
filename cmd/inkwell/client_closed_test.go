package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// TestARequestTheClientAbandonedIsA499NotAServerFailure closes the client's connection while the
// request is being served, over a real socket: whether the handler hands the cancellation error
// to the problem writer or just returns, the access log records 499 at info, the HTTP metrics
// count status 499, and nothing is logged as a failed (5xx) request.
func TestARequestTheClientAbandonedIsA499NotAServerFailure(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.InfoLevel)
	app := newTestAppLogging(t, config.DialectSQLite, zap.New(core), func(c *config.Config) { c.Log.AccessLog = true })
	entered := make(chan struct{}, 2)
	app.Engine.GET("/test/slow-failing", func(c *gin.Context) {
		entered <- struct{}{}
		<-c.Request.Context().Done()
		problem.Respond(c, fmt.Errorf("article read model: list: %w", c.Request.Context().Err()))
	})
	app.Engine.GET("/test/slow-silent", func(c *gin.Context) {
		entered <- struct{}{}
		<-c.Request.Context().Done()
	})
	srv := httptest.NewServer(app.Server.Handler)
	t.Cleanup(srv.Close)

	for _, route := range []string{"/test/slow-failing", "/test/slow-silent"} {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-entered; cancel() }() // abandon once the server is working on it
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+route, nil)
		if res, err := http.DefaultClient.Do(req); !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: the client should have given up: %v %v", route, res, err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for logs.FilterField(zap.String("route", route)).Len() == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no access-log line", route)
			}
			time.Sleep(10 * time.Millisecond)
		}
		line := logs.FilterField(zap.String("route", route)).All()[0]
		if status := line.ContextMap()["status"]; status != int64(499) || line.Level != zapcore.InfoLevel {
			t.Errorf("%s: access log status %v at %s, want 499 at info", route, status, line.Level)
		}
		series := `inkwell_http_requests_total{method="GET",route="` + route + `",status="499"}`
		if v := scrape(t, app).value(t, series); v != 1 {
			t.Errorf("%s: %s = %v, want 1", route, series, v)
		}
	}
	if n := logs.FilterLevelExact(zapcore.ErrorLevel).Len(); n != 0 {
		t.Errorf("%d error lines for requests the clients abandoned: %v", n, logs.FilterLevelExact(zapcore.ErrorLevel).All())
	}
	if n := logs.FilterMessage("client closed request").Len(); n != 1 {
		t.Errorf("the problem writer logged %d client-closed lines, want 1 (the failing route's)", n)
	}
	if scrape(t, app).sum(`inkwell_http_requests_total{method="GET",route="/test/[^"]+",status="5\d\d"}`) != 0 {
		t.Error("an abandoned request was counted as a 5xx")
	}
}
