package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// receiver is the bench's own HTTP server: the webhook endpoint Inkwell delivers to during the
// write scenarios, and the acknowledgement board of the mixed scenario.
type receiver struct {
	srv        *http.Server
	baseURL    string
	deliveries atomic.Int64
	last       atomic.Int64 // when the latest delivery arrived, in Unix nanoseconds

	mu    sync.Mutex
	acked map[int]int64 // mixed-scenario article index → highest acknowledged title version
}

func startReceiver() (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receiver{baseURL: "http://" + ln.Addr().String(), acked: map[int]int64{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", r.webhook)
	mux.HandleFunc("GET /ack", r.getAck)
	mux.HandleFunc("POST /ack", r.postAck)
	r.srv = &http.Server{Handler: mux}
	go func() {
		if err := r.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "inkwell-bench: receiver:", err)
		}
	}()
	return r, nil
}

func (r *receiver) webhookURL() string { return r.baseURL + "/webhook" }
func (r *receiver) boardURL() string   { return r.baseURL + "/ack" }

func (r *receiver) close() { _ = r.srv.Close() }

// waitQuiet waits until no delivery has arrived for quiet, at most limit; it returns when the last
// delivery arrived and whether the receiver went quiet (the relay's backlog drained) in time.
func (r *receiver) waitQuiet(ctx context.Context, quiet, limit time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(limit)
	for {
		last := time.Unix(0, r.last.Load())
		if time.Since(last) >= quiet {
			return last, true
		}
		if time.Now().After(deadline) {
			return last, false
		}
		select {
		case <-ctx.Done():
			return last, false
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// webhook accepts every delivery (the bench measures Inkwell, not a slow receiver).
func (r *receiver) webhook(w http.ResponseWriter, req *http.Request) {
	_, _ = io.Copy(io.Discard, req.Body)
	r.deliveries.Add(1)
	r.last.Store(time.Now().UnixNano())
	w.WriteHeader(http.StatusNoContent)
}

// getAck answers the highest acknowledged version of article ?i= (0 before the first write).
func (r *receiver) getAck(w http.ResponseWriter, req *http.Request) {
	i, err := strconv.Atoi(req.URL.Query().Get("i"))
	if err != nil {
		http.Error(w, "i must be a number", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	v := r.acked[i]
	r.mu.Unlock()
	_, _ = io.WriteString(w, strconv.FormatInt(v, 10))
}

// postAck records that version ?v= of article ?i= was acknowledged.
func (r *receiver) postAck(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	i, err1 := strconv.Atoi(q.Get("i"))
	v, err2 := strconv.ParseInt(q.Get("v"), 10, 64)
	if err1 != nil || err2 != nil {
		http.Error(w, "i and v must be numbers", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.acked[i] = max(r.acked[i], v)
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
