package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// testdata/k6-summary-list.json is the handleSummary output of k6 v1.8.1 running list.js for 2 s
// at 2 VUs against a server that answered 404 to everything.
func readFixture(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/k6-summary-list.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestParseSummary(t *testing.T) {
	t.Parallel()
	st, err := parseSummary(readFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	want := loadStats{Requests: 1611, RPS: 804.3140084306366, AvgMS: 2.0722321626319045, P50MS: 1.48011, P90MS: 3.776996,
		P99MS: 10.006943400000019, MaxMS: 50.521148, Errors: 1611, ErrorRate: 1, DurationS: 2.002949076}
	if st != want {
		t.Errorf("parseSummary =\n%+v, want\n%+v", st, want)
	}
}

// withMetrics returns the fixture with metrics replaced or added (nil deletes).
func withMetrics(t *testing.T, metrics map[string]any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readFixture(t), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc["metrics"].(map[string]any)
	for name, v := range metrics {
		if v == nil {
			delete(m, name)
		} else {
			m[name] = v
		}
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestParseSummaryCustomMetrics(t *testing.T) {
	t.Parallel()
	raw := withMetrics(t, map[string]any{
		metricFailed: map[string]any{"type": "rate", "values": map[string]float64{"rate": 0.001, "passes": 2, "fails": 1609}},
		metricErrors: map[string]any{"type": "counter", "values": map[string]float64{"count": 5, "rate": 2.5}},
		metricStale:  map[string]any{"type": "counter", "values": map[string]float64{"count": 3, "rate": 1.5}},
		metricOps:    map[string]any{"type": "counter", "values": map[string]float64{"count": 1200, "rate": 599.1}},
	})
	st, err := parseSummary(raw)
	if err != nil {
		t.Fatal(err)
	}
	// Check failures on answers with the right status count, and a failed request is not counted twice.
	if st.Errors != 5 || st.StaleReads != 3 || st.Ops != 1200 || st.OpsPerSec != 599.1 {
		t.Errorf("parseSummary = %+v", st)
	}
}

func TestParseSummaryWithoutErrorMetrics(t *testing.T) {
	t.Parallel()
	// A clean run: k6 leaves counters that never moved out of the summary.
	raw := withMetrics(t, map[string]any{
		metricFailed: map[string]any{"type": "rate", "values": map[string]float64{"rate": 0, "passes": 0, "fails": 1611}},
		metricErrors: nil,
	})
	st, err := parseSummary(raw)
	if err != nil {
		t.Fatal(err)
	}
	if st.Errors != 0 || st.ErrorRate != 0 || st.StaleReads != 0 || st.Ops != 0 {
		t.Errorf("parseSummary = %+v", st)
	}
}

func TestParseSummaryErrors(t *testing.T) {
	t.Parallel()
	noP99 := map[string]any{"type": "trend", "values": map[string]float64{"avg": 1, "med": 1, "p(90)": 1, "max": 2}}
	tests := []struct {
		name, want string
		raw        []byte
	}{
		{"not JSON", "k6 summary", []byte("{")},
		{"untagged requests", "did the script tag", withMetrics(t, map[string]any{metricReqs: nil})},
		{"no durations", metricDuration, withMetrics(t, map[string]any{metricDuration: nil})},
		{"default trend stats", "--summary-trend-stats", withMetrics(t, map[string]any{metricDuration: noP99})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseSummary(tt.raw)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseSummary error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
