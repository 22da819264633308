package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func sampleResults() []result {
	row := func(key, server string, rps, p50 float64) result {
		name := "scenario " + key
		if server == "ceiling" {
			name = "ceiling: " + key
		}
		return result{Key: key, Name: name, Server: server,
			loadStats: loadStats{Requests: int64(rps * 20), RPS: rps, P50MS: p50, P90MS: 2 * p50, P99MS: 4 * p50, DurationS: 20}}
	}
	rs := []result{
		row(keyCeilingArticle, "ceiling", 40000, 1),
		row(keyArticle, "inkwell", 28000, 1.5),
		row(keyCeilingList, "ceiling", 30000, 1.2),
		row(keyList, "inkwell", 12000, 3),
		row(keyWrites, "inkwell", 1400, 40),
		row(keyMixed, "inkwell", 9000, 5),
		row(keyUncachedList, "inkwell", 2000, 20),
		row(keyDeepPage, "inkwell", 1800, 25),
		row(keyCreates, "inkwell", 1600, 30),
	}
	rs[4].OpsPerSec = 700
	rs[8].OpsPerSec = 1600
	for i := range rs {
		rs[i] = rs[i].withUsage(procUsage{CPUSeconds: 10, PeakRSS: 90 << 20, HWM: 95 << 20})
	}
	return rs
}

func TestRatios(t *testing.T) {
	t.Parallel()
	rs := ratios(sampleResults())
	want := []float64{0.7, 0.4, 2000.0 / 30000}
	if len(rs) != 4 || rs[3].Valid {
		t.Fatalf("ratios = %+v, want 4 with the replica ratio not valid without a replica run", rs)
	}
	withReplica := append(sampleResults(), result{Key: keyReplicaList, Server: "inkwell", loadStats: loadStats{RPS: 3000}})
	if r := ratios(withReplica)[3]; !r.Valid || r.Value != 1.5 {
		t.Errorf("replica ratio = %+v, want 1.5", r)
	}
	for i, r := range rs[:3] {
		if !r.Valid || r.Value < want[i]-1e-9 || r.Value > want[i]+1e-9 {
			t.Errorf("%s = %v (valid %v), want %v", r.Name, r.Value, r.Valid, want[i])
		}
	}
	if rs := ratios(sampleResults()[1:]); rs[0].Valid {
		t.Error("article ratio without a ceiling run is valid")
	}
}

func TestWithUsage(t *testing.T) {
	t.Parallel()
	r := result{loadStats: loadStats{DurationS: 20}}.withUsage(procUsage{CPUSeconds: 30, PeakRSS: 64 << 20, HWM: 80 << 20})
	if r.ServerCPUPercent != 150 || r.PeakRSSMB != 64 || r.HWMMB != 80 {
		t.Errorf("withUsage = %+v", r)
	}
}

func statuses(vs []verdict) map[string]string {
	m := map[string]string{}
	for _, v := range vs {
		m[v.Name] = v.Status
	}
	return m
}

func TestVerdicts(t *testing.T) {
	t.Parallel()
	got := statuses(verdicts(sampleResults(), runInfo{DB: dbPostgres, Articles: 10_000}))
	want := map[string]string{
		"cached article vs ceiling":      statusMet,    // 0.70 ≥ 0.6
		"cached list vs ceiling":         statusMissed, // 0.40 < 0.5
		"uncached list vs ceiling list":  statusMet,    // 0.067 ≥ 0.05
		"deep cursor page vs first page": statusMet,    // 1.25 ≤ 1.5
		"creates+publishes per second":   statusMet,    // 700 ≥ 500
		"creates per second":             statusMet,    // 1600 ≥ 1500
		"errors and stale reads":         statusMet,
		"Inkwell peak RSS":               statusMet, // 95 MB
	}
	for name, status := range want {
		if got[name] != status {
			t.Errorf("%s: %s, want %s", name, got[name], status)
		}
	}
}

func TestVerdictsMisses(t *testing.T) {
	t.Parallel()
	rs := sampleResults()
	rs[5].StaleReads = 1
	rs[7].P50MS = 31                                                // deep page 1.55× the first page
	rs[3] = rs[3].withUsage(procUsage{PeakRSS: 151 << 20, HWM: 10}) // over 150 MB
	rs[0] = rs[0].withUsage(procUsage{PeakRSS: 500 << 20})          // the ceiling's memory does not count
	got := statuses(verdicts(rs, runInfo{DB: dbSQLite, Articles: 1_000_000}))
	want := map[string]string{
		"deep cursor page vs first page": statusMissed,
		"creates+publishes per second":   statusNA, // no target off PostgreSQL
		"creates per second":             statusNA,
		"errors and stale reads":         statusMissed,
		"Inkwell peak RSS":               statusMissed,
	}
	for name, status := range want {
		if got[name] != status {
			t.Errorf("%s: %s, want %s", name, got[name], status)
		}
	}
}

func TestWriteRateVerdictsOnPostgres(t *testing.T) {
	t.Parallel()
	rs := sampleResults()
	rs[4].OpsPerSec, rs[8].OpsPerSec = 499, 1499
	got := statuses(verdicts(rs, runInfo{DB: dbPostgres, Articles: 10_000}))
	for _, name := range []string{"creates+publishes per second", "creates per second"} {
		if got[name] != statusMissed {
			t.Errorf("%s: %s just under its target, want missed", name, got[name])
		}
	}
}

func TestVerdictsWithoutScenarios(t *testing.T) {
	t.Parallel()
	for _, v := range verdicts(nil, runInfo{DB: dbPostgres, Articles: 10_000}) {
		if v.Name == "errors and stale reads" {
			continue // nothing ran, nothing failed
		}
		if v.Status != statusNA {
			t.Errorf("%s: %s with no results, want n/a", v.Name, v.Status)
		}
	}
}

func TestWriteReport(t *testing.T) {
	t.Parallel()
	rs := sampleResults()
	rs[5].StaleReads, rs[5].OpsPerSec = 0, 45
	rs[4].Notes = []string{"1400 webhook deliveries received"}
	f := resultFile{runMeta: runMeta{StartedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), DB: dbPostgres, Articles: 10_000,
		VUs: 64, Duration: "20s", CPUs: 2, Commit: "abc123"}, Scenarios: rs, Ratios: ratios(rs),
		Verdicts: verdicts(rs, runInfo{DB: dbPostgres, Articles: 10_000})}
	var buf bytes.Buffer
	writeReport(&buf, f)
	out := buf.String()
	for _, want := range []string{
		"postgres, 10000 articles, 64 VUs, 20s per scenario, 2 CPUs, commit abc123",
		"scenario  ", "req/s", "p99 ms", "RSS MB",
		"ceiling: ", "(a) scenario a", "28000",
		"700 creates+publishes/s; 1400 webhook deliveries received",
		"(gc) scenario gc", "1600 creates/s",
		"45 writes/s, 0 stale reads",
		"(a) cached article / ceiling article", "0.700",
		"MET     cached article vs ceiling", "MISSED  cached list vs ceiling",
		"1.25× (25.00 ms vs 20.00 ms)", "the target is set at 1,000,000 articles",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// The figures line up: every row's req/s ends where the header's does.
	lines := strings.Split(out, "\n")
	end := strings.Index(lines[3], "req/s") + len("req/s")
	for _, l := range lines[4 : 4+len(rs)] {
		if l[end-1] == ' ' || l[end] != ' ' {
			t.Errorf("row %q: req/s does not end at column %d", l, end)
		}
	}
}

func TestIssue14Verdicts(t *testing.T) {
	t.Parallel()
	rs := sampleResults()
	row := func(key string, rps, p50 float64) result {
		return result{Key: key, Name: key, Server: "inkwell", loadStats: loadStats{RPS: rps, P50MS: p50}}
	}
	rs = append(rs, row(keySearch, 1100, 40), row(keyTag, 900, 30), row(keyAuthor, 1500, 20), row(keyTagAuthor, 1000, 25),
		row(keyUnknownTag, 2500, 10), row(keyUnknownAuthor, 1900, 12), row(keyPageFirst, 2000, 20), row(keyPageDeep, 400, 90))
	info := runInfo{DB: dbPostgres, Articles: 1_000_000, Relay: relayStats{Measured: true, Events: 9000, EventsPerSec: 450, Drained: true}}
	vs := verdicts(rs, info)
	got := statuses(vs)
	want := map[string]string{
		"search vs uncached first page":                  statusMet,    // 1100 / 2000 = 0.55
		"tag filter vs uncached first page":              statusMissed, // 0.45
		"author filter vs uncached first page":           statusMet,
		"tag + author vs uncached first page":            statusMet, // exactly 0.5
		"unknown tag vs uncached first page":             statusMet,
		"unknown author vs uncached first page":          statusMissed, // 0.95 < 1
		"deepest page (page × limit = 10,000) vs page 1": statusMissed, // 0.2
		"search p50 at 1,000,000 articles":               statusMet,
		"webhook relay events per second":                statusMissed,
	}
	for name, status := range want {
		if got[name] != status {
			t.Errorf("%s: %s, want %s", name, got[name], status)
		}
	}
	// The table shows each scenario's verdicts in its own row.
	var buf bytes.Buffer
	printTable(&buf, rs, vs)
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "(e) e ") && !strings.Contains(line, "met,met") {
			t.Errorf("search row %q lacks its two verdicts", line)
		}
		if strings.HasPrefix(line, "(tag) tag ") && !strings.Contains(line, "missed") {
			t.Errorf("tag row %q lacks its verdict", line)
		}
	}
	// Off 1,000,000 articles on PostgreSQL the p50 has no verdict (the creates line is tested with the write scenarios).
	got = statuses(verdicts(rs, runInfo{DB: dbPostgres, Articles: 100_000}))
	if got["search p50 at 1,000,000 articles"] != statusNA || got["webhook relay events per second"] != statusNA {
		t.Errorf("at 100,000: %v", got)
	}
}
