package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// runMeta says what was measured, so runs can be compared.
type runMeta struct {
	StartedAt         time.Time  `json:"started_at"`
	Commit            string     `json:"commit"`
	DB                string     `json:"db"`
	Articles          int        `json:"articles"`
	Tags              int        `json:"tags"`
	Authors           int        `json:"authors"`
	VUs               int        `json:"vus"`
	Duration          string     `json:"duration_per_scenario"`
	CPUs              int        `json:"cpus"`
	GoVersion         string     `json:"go_version"`
	K6Version         string     `json:"k6_version"`
	SeedSeconds       float64    `json:"seed_seconds"`
	DeepCursorDepth   int        `json:"deep_cursor_depth"`
	ArticleBytes      int        `json:"article_bytes"` // the captured answers the ceiling served
	ListBytes         int        `json:"list_bytes"`
	WebhookSubscribed bool       `json:"webhook_subscribed"`
	Words             []string   `json:"search_words"`
	Relay             relayStats `json:"relay"`
	DeepPage          int        `json:"deep_page"` // the page number of the page-mode scenario
}

func newRunMeta(ctx context.Context, cfg config, started time.Time, k6version string) runMeta {
	return runMeta{StartedAt: started, Commit: commit(ctx), DB: cfg.DB, Articles: cfg.Articles, Tags: cfg.Tags,
		Authors: cfg.Authors, VUs: cfg.VUs, Duration: cfg.Duration.String(), CPUs: runtime.NumCPU(),
		GoVersion: runtime.Version(), K6Version: firstLine(k6version)}
}

// commit is the checked-out commit, marked when the tree has changes.
func commit(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty", "--abbrev=12").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// resultFile is the JSON written under bench/results/.
type resultFile struct {
	runMeta
	Scenarios []result  `json:"scenarios"`
	Ratios    []ratio   `json:"ratios"`
	Verdicts  []verdict `json:"verdicts"`
}

// report prints the table, the ratios and the verdicts, and writes the JSON file.
func (b *bench) report() error {
	info := runInfo{DB: b.cfg.DB, Articles: b.cfg.Articles, Relay: b.meta.Relay}
	file := resultFile{runMeta: b.meta, Scenarios: b.results, Ratios: ratios(b.results), Verdicts: verdicts(b.results, info)}
	writeReport(os.Stdout, file)
	raw, err := json.MarshalIndent(file, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(b.prefix+".json", append(raw, '\n'), 0o644); err != nil {
		return err
	}
	if err := b.logw.Close(); err != nil {
		return err
	}
	if err := compress(b.logw.Name()); err != nil {
		return err
	}
	say("wrote %s.json (logs: %s-server.log.gz, %s-k6.log)", b.prefix, b.prefix, b.prefix)
	return nil
}

func writeReport(w io.Writer, f resultFile) {
	fmt.Fprintf(w, "\nInkwell bench %s: %s, %d articles, %d VUs, %s per scenario, %d CPUs, commit %s\n\n",
		f.StartedAt.Format(time.RFC3339), f.DB, f.Articles, f.VUs, f.Duration, f.CPUs, f.Commit)
	printTable(w, f.Scenarios, f.Verdicts)
	fmt.Fprintln(w, "\nratios to the ceiling (req/s):")
	printRatios(w, f.Ratios)
	fmt.Fprintln(w, "\ntargets:")
	printVerdicts(w, f.Verdicts)
}

// compress replaces file by file.gz: a run's access log is hundreds of megabytes of similar lines.
func compress(file string) error {
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(file + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Remove(file)
}
