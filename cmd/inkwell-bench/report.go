package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// The keys of the scenarios the ratios and targets read.
const (
	keyCeilingArticle = "ceiling-article"
	keyCeilingList    = "ceiling-list"
	keyArticle        = "a"
	keyList           = "b"
	keyUncachedList   = "d"
	keyDeepPage       = "f"
	keyCreates        = "gc"
	keyWrites         = "g"
	keyMixed          = "h"
)

// result is one scenario's figures: the load generator's and the server's.
type result struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Server string `json:"server"` // inkwell or ceiling
	loadStats
	ServerCPUSeconds float64  `json:"server_cpu_s"`
	ServerCPUPercent float64  `json:"server_cpu_pct"` // of one core, over the scenario
	PeakRSSMB        float64  `json:"peak_rss_mb"`    // largest sampled VmRSS
	HWMMB            float64  `json:"vm_hwm_mb"`      // the server process's VmHWM after the scenario
	Notes            []string `json:"notes,omitempty"`
}

// withUsage adds the server's resource use during the scenario.
func (r result) withUsage(u procUsage) result {
	r.ServerCPUSeconds = u.CPUSeconds
	if r.DurationS > 0 {
		r.ServerCPUPercent = 100 * u.CPUSeconds / r.DurationS
	}
	r.PeakRSSMB = mb(u.PeakRSS)
	r.HWMMB = mb(u.HWM)
	return r
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// ratio is one comparison with the ceiling.
type ratio struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Valid bool    `json:"valid"`
}

// verdict is one target (issues 8.4 and 14) and whether the run met it.
type verdict struct {
	Key    string  `json:"key,omitempty"` // the scenario row it belongs to
	Name   string  `json:"name"`
	Target string  `json:"target"`
	Value  float64 `json:"value"`
	Shown  string  `json:"shown"`
	Status string  `json:"status"` // met, missed or n/a
	Note   string  `json:"note,omitempty"`
}

const (
	statusMet    = "met"
	statusMissed = "missed"
	statusNA     = "n/a"
)

// runInfo is what the targets depend on besides the figures.
type runInfo struct {
	DB       string
	Articles int
	Relay    relayStats
}

func byKey(results []result) map[string]result {
	m := make(map[string]result, len(results))
	for _, r := range results {
		m[r.Key] = r
	}
	return m
}

// ratios are the rates of (a), (b) and (d) over the ceiling's rate for the same bytes.
func ratios(results []result) []ratio {
	m := byKey(results)
	pairs := []struct{ name, num, den string }{
		{"(a) cached article / ceiling article", keyArticle, keyCeilingArticle},
		{"(b) cached list / ceiling list", keyList, keyCeilingList},
		{"(d) uncached list / ceiling list", keyUncachedList, keyCeilingList},
		{"(r) uncached list with 1 replica / (d) primary alone", keyReplicaList, keyUncachedList},
	}
	out := make([]ratio, 0, len(pairs))
	for _, p := range pairs {
		num, ok1 := m[p.num]
		den, ok2 := m[p.den]
		r := ratio{Name: p.name}
		if ok1 && ok2 && den.RPS > 0 {
			r.Value, r.Valid = num.RPS/den.RPS, true
		}
		out = append(out, r)
	}
	return out
}

// verdicts checks the figures against the targets. A target whose scenarios did not run is n/a;
// so is the write rate off PostgreSQL, where it is not set.
func verdicts(results []result, info runInfo) []verdict {
	m := byKey(results)
	rs := ratios(results)
	var out []verdict
	atLeast := func(key, name, target string, r ratio, min float64, note string) {
		v := verdict{Key: key, Name: name, Target: target, Value: r.Value, Shown: fmt.Sprintf("%.3f×", r.Value), Note: note}
		switch {
		case !r.Valid:
			v.Status, v.Shown = statusNA, "-"
		case r.Value >= min:
			v.Status = statusMet
		default:
			v.Status = statusMissed
		}
		out = append(out, v)
	}
	atLeast(keyArticle, "cached article vs ceiling", "≥ 0.6× ceiling req/s", rs[0], 0.6, "")
	atLeast(keyList, "cached list vs ceiling", "≥ 0.5× ceiling req/s", rs[1], 0.5, "")
	note := ""
	if info.DB != dbPostgres || info.Articles != 10_000 {
		note = "the target is set for PostgreSQL at 10,000 articles"
	}
	atLeast(keyUncachedList, "uncached list vs ceiling list", "≥ 0.05× ceiling list req/s", rs[2], 0.05, note)

	deep := verdict{Key: keyDeepPage, Name: "deep cursor page vs first page", Target: "p50 ≤ 1.5× uncached first page p50", Status: statusNA, Shown: "-"}
	if f, ok := m[keyDeepPage]; ok {
		if d, ok := m[keyUncachedList]; ok && d.P50MS > 0 {
			deep.Value = f.P50MS / d.P50MS
			deep.Shown = fmt.Sprintf("%.2f× (%.2f ms vs %.2f ms)", deep.Value, f.P50MS, d.P50MS)
			deep.Status = pick(deep.Value <= 1.5, statusMet, statusMissed)
		}
	}
	if info.Articles != maxArticles {
		deep.Note = "the target is set at 1,000,000 articles"
	}
	out = append(out, deep)

	rate := func(key, name, target string, min float64) {
		v := verdict{Name: name, Target: target, Status: statusNA, Shown: "-"}
		if r, ok := m[key]; ok {
			v.Value, v.Shown = r.OpsPerSec, fmt.Sprintf("%.0f/s", r.OpsPerSec)
			if info.DB == dbPostgres {
				v.Status = pick(r.OpsPerSec >= min, statusMet, statusMissed)
			} else {
				v.Note = "the target is set for PostgreSQL"
			}
		}
		out = append(out, v)
	}
	rate(keyCreates, "creates per second", "≥ 1500/s on PostgreSQL", 1500)
	rate(keyWrites, "creates+publishes per second", "≥ 500/s on PostgreSQL", 500)
	out = append(out, issue14Verdicts(m, info)...)

	var errs, stale int64
	var peak float64
	for _, r := range results {
		errs += r.Errors
		stale += r.StaleReads
		if r.Server == "inkwell" {
			peak = max(peak, r.PeakRSSMB, r.HWMMB)
		}
	}
	out = append(out, verdict{Name: "errors and stale reads", Target: "0", Value: float64(errs + stale),
		Shown: fmt.Sprintf("%d errors, %d stale reads", errs, stale), Status: pick(errs+stale == 0, statusMet, statusMissed)})
	rss := verdict{Name: "Inkwell peak RSS", Target: "≤ 150 MB", Value: peak, Shown: fmt.Sprintf("%.1f MB", peak), Status: statusNA}
	if peak > 0 {
		rss.Status = pick(peak <= 150, statusMet, statusMissed)
	}
	out = append(out, rss)
	return out
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// printTable writes one row per scenario: the label left-aligned, the figures right-aligned, then
// the verdicts of the scenario's targets (the targets section below spells each out) and the notes.
func printTable(w io.Writer, results []result, vs []verdict) {
	width := len("scenario")
	for _, r := range results {
		width = max(width, utf8.RuneCountInString(label(r)))
	}
	fmt.Fprintf(w, "%-*s %9s %8s %8s %8s %7s %7s %6s %8s %7s  %-14s  %s\n", width, "scenario",
		"req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "CPU s", "CPU %", "RSS MB", "k6 CPU", "verdict", "notes")
	for _, r := range results {
		fmt.Fprintf(w, "%-*s %9.0f %8.2f %8.2f %8.2f %7d %7.1f %6.0f %8.1f %7.1f  %-14s  %s\n", width, label(r),
			r.RPS, r.P50MS, r.P90MS, r.P99MS, r.Errors, r.ServerCPUSeconds, r.ServerCPUPercent, r.PeakRSSMB, r.K6CPUSeconds,
			rowVerdict(r, vs), notes(r))
	}
}

// rowVerdict sums up the verdicts of the targets on a scenario: "-" without one, else each status.
func rowVerdict(r result, vs []verdict) string {
	if r.Server != "inkwell" {
		return "-"
	}
	var s []string
	for _, v := range vs {
		if v.Key == r.Key {
			s = append(s, v.Status)
		}
	}
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}

func label(r result) string {
	if r.Server == "ceiling" {
		return r.Name
	}
	return fmt.Sprintf("(%s) %s", r.Key, r.Name)
}

func notes(r result) string {
	n := append([]string(nil), r.Notes...)
	switch r.Key {
	case keyCreates:
		n = append([]string{fmt.Sprintf("%.0f creates/s", r.OpsPerSec)}, n...)
	case keyWrites:
		n = append([]string{fmt.Sprintf("%.0f creates+publishes/s", r.OpsPerSec)}, n...)
	case keyMixed:
		n = append([]string{fmt.Sprintf("%.0f writes/s, %d stale reads", r.OpsPerSec, r.StaleReads)}, n...)
	}
	if len(n) == 0 {
		return "-"
	}
	return strings.Join(n, "; ")
}

// printRatios writes the ceiling ratios.
func printRatios(w io.Writer, rs []ratio) {
	for _, r := range rs {
		if r.Valid {
			fmt.Fprintf(w, "  %-40s %.3f\n", r.Name, r.Value)
		} else {
			fmt.Fprintf(w, "  %-40s -\n", r.Name)
		}
	}
}

// printVerdicts writes the targets, one a line.
func printVerdicts(w io.Writer, vs []verdict) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range vs {
		line := fmt.Sprintf("  %s\t%s\t%s\t%s", strings.ToUpper(v.Status), v.Name, v.Target, v.Shown)
		if v.Note != "" {
			line += " (" + v.Note + ")"
		}
		fmt.Fprintln(tw, line)
	}
	_ = tw.Flush()
}
