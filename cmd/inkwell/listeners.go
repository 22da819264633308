package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"go.uber.org/zap"
)

// newPprofServer serves the runtime profiles on addr from a mux of its own, so they are reachable
// only on this listener: never through the API router, and never through http.DefaultServeMux
// (which the net/http/pprof import fills, and which nothing in Inkwell serves).
func newPprofServer(addr string) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No write timeout: a CPU profile or trace streams for as long as its ?seconds= asks.
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
}

// newMetricsServer serves GET /metrics on addr, apart from the API listener: per-route request
// counts (management routes included), 401 rates and pool figures are for the operators' scraper,
// which reaches this address on the private network, not for the API's clients.
func newMetricsServer(addr string, metrics http.Handler) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
}

// sideListener is an optional listener beside the API: its name, the setting of its address (named
// in errors) and its server.
type sideListener struct {
	name    string
	setting string
	server  *http.Server
	warning string // logged when it starts, if set
}

// start listens when the address is set; the returned function closes the listener. What it serves
// is for operators, not user requests: on shutdown it is cut, not drained.
func (s sideListener) start(log *zap.Logger) (stop func(), err error) {
	if s.server.Addr == "" {
		return func() {}, nil
	}
	listener, err := net.Listen("tcp", s.server.Addr)
	if err != nil {
		return nil, fmt.Errorf("%s listen on %s: %w (set %s to a free address, or empty)", s.name, s.server.Addr, err, s.setting)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(s.name+" listener stopped", zap.Error(err))
		}
	}()
	addr := listener.Addr().String()
	if s.warning != "" {
		log.Warn(s.name+" listener on "+addr+" — "+s.warning, zap.String("addr", addr))
	} else {
		log.Info(s.name+" listener on "+addr, zap.String("addr", addr))
	}
	return func() {
		_ = s.server.Close()
		<-done
	}, nil
}
