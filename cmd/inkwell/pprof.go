package main

import (
	"net/http"
	"net/http/pprof"
	"time"
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
