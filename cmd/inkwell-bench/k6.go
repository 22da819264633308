package main

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

//go:embed scenarios/*.js
var scripts embed.FS

// loadGen runs the k6 scripts from a working directory of the run.
type loadGen struct {
	k6       string
	dir      string // the scripts, configurations and summaries
	vus      int
	duration time.Duration
	logw     io.Writer // k6's own output (errors the scripts log, warnings)
}

// newLoadGen checks the k6 binary and writes the embedded scripts into dir.
func newLoadGen(ctx context.Context, k6, dir string, vus int, duration time.Duration, logw io.Writer) (*loadGen, string, error) {
	out, err := exec.CommandContext(ctx, k6, "version").Output()
	if err != nil {
		return nil, "", fmt.Errorf("k6 at %s: %w (make bench installs it into bin/; or set BENCH_K6)", k6, err)
	}
	err = fs.WalkDir(scripts, "scenarios", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := scripts.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.Base(path)), raw, 0o600)
	})
	if err != nil {
		return nil, "", err
	}
	return &loadGen{k6: k6, dir: dir, vus: vus, duration: duration, logw: logw}, strings.TrimSpace(string(out)), nil
}

// scenarioConfig is what a script reads from BENCH_CONFIG.
type scenarioConfig struct {
	BaseURL     string       `json:"base_url"`
	RunID       string       `json:"run_id"`
	HotSlugs    []string     `json:"hot_slugs,omitempty"`
	Tags        []string     `json:"tags,omitempty"`
	Words       []string     `json:"words,omitempty"`
	WalkPages   int          `json:"walk_pages,omitempty"`
	DeepCursor  string       `json:"deep_cursor,omitempty"`
	Paths       []string     `json:"paths,omitempty"` // paths.js: the request paths to rotate through
	EditorToken string       `json:"editor_token,omitempty"`
	Mixed       *mixedConfig `json:"mixed,omitempty"`
}

// mixedConfig is the mixed scenario's: its articles and the acknowledgement board.
type mixedConfig struct {
	BoardURL string         `json:"board_url"`
	Articles []mixedArticle `json:"articles"`
}

// run drives one script against cfg.BaseURL for the configured VUs and duration.
func (g *loadGen) run(ctx context.Context, key, script string, cfg scenarioConfig) (loadStats, error) {
	cfgFile := filepath.Join(g.dir, key+".config.json")
	sumFile := filepath.Join(g.dir, key+".summary.json")
	raw, err := json.Marshal(cfg)
	if err != nil {
		return loadStats{}, err
	}
	if err := os.WriteFile(cfgFile, raw, 0o600); err != nil {
		return loadStats{}, err
	}
	fmt.Fprintf(g.logw, "=== scenario %s (%s)\n", key, script)
	cmd := exec.CommandContext(ctx, g.k6, "run", "--quiet", "--no-color", "--no-usage-report", "--address", "",
		"--vus", strconv.Itoa(g.vus), "--duration", g.duration.String(),
		"-e", "BENCH_CONFIG="+cfgFile, "-e", "BENCH_SUMMARY="+sumFile,
		filepath.Join(g.dir, script))
	cmd.Stdout, cmd.Stderr = g.logw, g.logw
	cmd.Env = append(os.Environ(), "K6_NO_USAGE_REPORT=true")
	if err := cmd.Run(); err != nil {
		return loadStats{}, fmt.Errorf("k6 %s: %w (see %s)", script, err, logName(g.logw))
	}
	raw, err = os.ReadFile(sumFile)
	if err != nil {
		return loadStats{}, fmt.Errorf("k6 %s: %w", script, err)
	}
	st, err := parseSummary(raw)
	st.K6CPUSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return st, err
}
