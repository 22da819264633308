package main

import (
	"encoding/json"
	"fmt"
)

// The k6 metrics the scenarios write. Requests to the application under test (Inkwell or the
// ceiling) carry the tag target:app, so the submetrics below leave out helper requests (the
// mixed scenario's acknowledgement board); every script declares thresholds on them so k6 puts
// them in the summary.
const (
	metricReqs     = "http_reqs{target:app}"
	metricDuration = "http_req_duration{target:app}"
	metricFailed   = "http_req_failed{target:app}"
	metricErrors   = "bench_errors" // a response with the wrong status or body, counted by the scripts
	metricStale    = "stale_reads"  // (h): a read older than the last acknowledged write
	metricOps      = "bench_ops"    // completed units of work: create+publish pairs in (g), patches in (h)
)

// k6Summary is the part of k6's handleSummary data the bench reads.
type k6Summary struct {
	State struct {
		TestRunDurationMS float64 `json:"testRunDurationMs"`
	} `json:"state"`
	Metrics map[string]struct {
		Type   string             `json:"type"`
		Values map[string]float64 `json:"values"`
	} `json:"metrics"`
}

// loadStats is one scenario's load-generator view: rates, latencies in milliseconds, errors.
type loadStats struct {
	Requests   int64   `json:"requests"`
	RPS        float64 `json:"rps"`
	AvgMS      float64 `json:"avg_ms"`
	P50MS      float64 `json:"p50_ms"`
	P90MS      float64 `json:"p90_ms"`
	P99MS      float64 `json:"p99_ms"`
	MaxMS      float64 `json:"max_ms"`
	Errors     int64   `json:"errors"`
	ErrorRate  float64 `json:"error_rate"`
	StaleReads int64   `json:"stale_reads"`
	Ops        int64   `json:"ops"`
	OpsPerSec  float64 `json:"ops_per_sec"`
	DurationS  float64 `json:"duration_s"`
	// K6CPUSeconds is the load generator's own CPU time: on a small machine it competes with the
	// server, and it is what limits the ceiling's rate.
	K6CPUSeconds float64 `json:"k6_cpu_s"`
}

// parseSummary reads k6's handleSummary JSON. Latency percentiles need
// --summary-trend-stats with med, p(90) and p(99). Errors are the larger of the failed requests
// and the scripts' own error count (a check failure on a 200 is an error too; a failed request is
// counted by both).
func parseSummary(raw []byte) (loadStats, error) {
	var s k6Summary
	if err := json.Unmarshal(raw, &s); err != nil {
		return loadStats{}, fmt.Errorf("k6 summary: %w", err)
	}
	reqs, ok := s.Metrics[metricReqs]
	if !ok {
		return loadStats{}, fmt.Errorf("k6 summary: no %s metric: did the script tag its requests and declare the threshold?", metricReqs)
	}
	d, ok := s.Metrics[metricDuration]
	if !ok {
		return loadStats{}, fmt.Errorf("k6 summary: no %s metric", metricDuration)
	}
	for _, stat := range []string{"med", "p(90)", "p(99)"} {
		if _, ok := d.Values[stat]; !ok {
			return loadStats{}, fmt.Errorf("k6 summary: %s has no %s: run k6 with --summary-trend-stats", metricDuration, stat)
		}
	}
	st := loadStats{
		Requests:  int64(reqs.Values["count"]),
		RPS:       reqs.Values["rate"],
		AvgMS:     d.Values["avg"],
		P50MS:     d.Values["med"],
		P90MS:     d.Values["p(90)"],
		P99MS:     d.Values["p(99)"],
		MaxMS:     d.Values["max"],
		DurationS: s.State.TestRunDurationMS / 1000,
	}
	failed := int64(s.Metrics[metricFailed].Values["passes"])
	st.Errors = max(failed, int64(s.Metrics[metricErrors].Values["count"]))
	if st.Requests > 0 {
		st.ErrorRate = float64(st.Errors) / float64(st.Requests)
	}
	st.StaleReads = int64(s.Metrics[metricStale].Values["count"])
	st.Ops = int64(s.Metrics[metricOps].Values["count"])
	st.OpsPerSec = s.Metrics[metricOps].Values["rate"]
	return st, nil
}
