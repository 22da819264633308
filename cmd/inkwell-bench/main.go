// Command inkwell-bench is `make bench`: it builds Inkwell and a bare-gin ceiling server, prepares a
// database with seeded content, starts the server with production settings, drives it with k6 at
// fixed concurrency for a fixed time per scenario, drives the ceiling the same way for the same
// bytes, and prints a table, the ratios to the ceiling and the verdicts on the targets of issues 8
// and 14 (a verdict column per scenario, then every target spelled out).
// Results go to bench/results/<timestamp>-<db>.json.
//
// Settings (environment): BENCH_DB (postgres|sqlite), BENCH_DATABASE_URL, BENCH_ARTICLES,
// BENCH_VUS, BENCH_DURATION, BENCH_TAGS, BENCH_AUTHORS, BENCH_DEEP_PAGES, BENCH_WALK_PAGES,
// BENCH_K6, BENCH_KEEP_DB, BENCH_SCENARIOS, BENCH_REPLICA_URL (a streaming replica of
// BENCH_DATABASE_URL's server: scripts/pg-replica makes one; adds scenario (r)). See docs/performance.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

const resultsDir = "bench/results"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx)
	if err != nil && ctx.Err() != nil {
		err = errors.New("interrupted; servers stopped, bench database removed")
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "inkwell-bench:", err)
		os.Exit(1)
	}
}

// bench is one run's state.
type bench struct {
	cfg        config
	started    time.Time
	prefix     string // bench/results/<timestamp>-<db>
	runID      string
	logw       *os.File // the server's and the CLI's logs
	gen        *loadGen
	db         *database
	recv       *receiver
	api        *apiClient
	adminToken string
	editor     string // the editor's token
	results    []result
	meta       runMeta
}

func run(ctx context.Context) error {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		return err
	}
	if _, err := os.Stat("cmd/inkwell/main.go"); err != nil {
		return errors.New("run me from the repository root (make bench does)")
	}
	b := &bench{cfg: cfg, started: time.Now().UTC()}
	b.runID = strconv.FormatInt(b.started.Unix()%1_000_000, 36)
	b.prefix = filepath.Join(resultsDir, b.started.Format("20060102-150405")+"-"+cfg.DB)
	if err := os.MkdirAll(resultsDir, 0o755); err != nil {
		return err
	}
	if b.logw, err = os.OpenFile(b.prefix+"-server.log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err != nil {
		return err
	}
	defer b.logw.Close()
	work, err := os.MkdirTemp("", "inkwell-bench-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	say("building bin/inkwell and bin/inkwell-ceiling")
	if err := build(ctx); err != nil {
		return err
	}
	k6log, err := os.Create(b.prefix + "-k6.log")
	if err != nil {
		return err
	}
	defer k6log.Close()
	var k6version string
	if b.gen, k6version, err = newLoadGen(ctx, cfg.K6, work, cfg.VUs, cfg.Duration, k6log); err != nil {
		return err
	}
	b.meta = newRunMeta(ctx, cfg, b.started, k6version)

	if b.db, err = prepareDatabase(ctx, cfg); err != nil {
		return err
	}
	say("database: %s", b.db.detail)
	defer b.dropDatabase()
	if b.recv, err = startReceiver(); err != nil {
		return err
	}
	defer b.recv.close()

	if err := b.setUp(ctx); err != nil {
		return err
	}
	if err := b.cachedPhase(ctx); err != nil {
		return err
	}
	if err := b.uncachedPhase(ctx); err != nil {
		return err
	}
	return b.report()
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func (b *bench) dropDatabase() {
	if b.cfg.KeepDB {
		say("kept the database: %s", b.db.detail)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.db.drop(ctx); err != nil {
		say("could not remove the database %s: %v", b.db.detail, err)
	}
}

// setUp starts the server once on the empty database for the first admin's token, seeds, and makes
// the editor whose token the write scenarios use.
func (b *bench) setUp(ctx context.Context) error {
	srv, token, err := startInkwell(ctx, b.db.URL, b.logw)
	if err != nil {
		return err
	}
	if err := srv.stop(30 * time.Second); err != nil {
		return err
	}
	if token == "" {
		return fmt.Errorf("inkwell serve printed no %q line on a fresh database (see %s)", tokenLine, b.logw.Name())
	}
	b.adminToken = token
	say("seeding %d articles, %d tags, %d authors", b.cfg.Articles, b.cfg.Tags, b.cfg.Authors)
	started := time.Now()
	// The seed's progress goes to the terminal; its batched inserts would log as slow queries.
	_, err = cli(ctx, inkwellEnv(b.db.URL, "INKWELL_LOG_LEVEL=error"), os.Stderr, "seed",
		"--articles", strconv.Itoa(b.cfg.Articles), "--tags", strconv.Itoa(b.cfg.Tags), "--authors", strconv.Itoa(b.cfg.Authors))
	if err != nil {
		return err
	}
	b.meta.SeedSeconds = time.Since(started).Seconds()
	env := inkwellEnv(b.db.URL)
	email := "editor-" + b.runID + "@bench.invalid"
	if _, err := cli(ctx, env, b.logw, "user", "create", "--email", email, "--name", "Bench Editor", "--role", "editor"); err != nil {
		return err
	}
	out, err := cli(ctx, env, b.logw, "token", "create", "--user", email, "--name", "bench")
	if err != nil {
		return err
	}
	b.editor = lastLine(out)
	return nil
}

// cachedPhase runs the ceiling and the scenarios with the cache on: (a), (b), (c), (g), (h).
func (b *bench) cachedPhase(ctx context.Context) error {
	srv, _, err := startInkwell(ctx, b.db.URL, b.logw)
	if err != nil {
		return err
	}
	defer stopLogged(srv)
	b.api = newAPIClient(srv.baseURL)
	if err := b.api.subscribeWebhook(ctx, b.adminToken, b.recv.webhookURL()); err != nil {
		if !errors.Is(err, errNoWebhookAPI) {
			return err
		}
		say("warning: %v; the write scenarios run without a webhook subscription", err)
	} else {
		b.meta.WebhookSubscribed = true
	}
	newest, err := b.api.newest(ctx, 100)
	if err != nil {
		return err
	}
	tags, err := b.api.tagSlugs(ctx)
	if err != nil {
		return err
	}
	base := scenarioConfig{BaseURL: srv.baseURL, RunID: b.runID, Tags: tags, WalkPages: b.cfg.WalkPages, EditorToken: b.editor}
	for _, a := range newest {
		base.HotSlugs = append(base.HotSlugs, a.Slug)
	}
	b.meta.Words = words(newest)

	// The captured answers stay with the results: they are what the ceiling served.
	articleFile, listFile := b.prefix+"-article.body", b.prefix+"-list.body"
	if b.meta.ArticleBytes, err = b.api.capture(ctx, "/api/v1/articles/"+base.HotSlugs[0], articleFile); err != nil {
		return err
	}
	if b.meta.ListBytes, err = b.api.capture(ctx, "/api/v1/articles?limit=20", listFile); err != nil {
		return err
	}
	ceiling, err := startCeiling(ctx, articleFile, listFile, b.logw)
	if err != nil {
		return err
	}
	defer stopLogged(ceiling)
	for _, slug := range base.HotSlugs { // fill the cache before (a) measures it
		if _, err := b.api.call(ctx, "GET", "/api/v1/articles/"+slug, "", nil, nil, 200, nil); err != nil {
			return err
		}
	}
	atCeiling := base
	atCeiling.BaseURL = ceiling.baseURL
	steps := []struct {
		key, name, script string
		srv               *process
		cfg               scenarioConfig
	}{
		{keyCeilingArticle, "ceiling: article bytes", "article.js", ceiling, atCeiling},
		{keyArticle, "article by slug, hot set (cached)", "article.js", srv, base},
		{keyCeilingList, "ceiling: list bytes", "list.js", ceiling, atCeiling},
		{keyList, "list first page (cached)", "list.js", srv, base},
		{"c", "tag lists + cursor (partly cached)", "tagwalk.js", srv, base},
	}
	for _, s := range steps {
		if err := b.scenario(ctx, s.key, s.name, s.script, s.srv, s.cfg); err != nil {
			return err
		}
	}
	stopLogged(ceiling)
	writes := []struct{ key, name, script string }{
		{keyCreates, "creates (editor)", "creates.js"},
		{keyWrites, "create + publish (editor)", "writes.js"},
	}
	for _, w := range writes {
		before, started := b.recv.deliveries.Load(), time.Now()
		if err := b.scenario(ctx, w.key, w.name, w.script, srv, base); err != nil {
			return err
		}
		if b.meta.WebhookSubscribed && b.cfg.runs(w.key) {
			b.note(w.key, fmt.Sprintf("%d webhook deliveries received", b.recv.deliveries.Load()-before))
			if w.key == keyWrites {
				b.measureRelay(ctx, before, started)
			}
		}
	}
	if !b.cfg.runs(keyMixed) {
		return nil
	}
	mixed := base
	mixed.Mixed = &mixedConfig{BoardURL: b.recv.boardURL()}
	for i := range b.cfg.VUs {
		title := fmt.Sprintf("Bench mixed %s %d", b.runID, i)
		a, err := b.api.createPublished(ctx, b.editor, title+" v0", tags[:1])
		if err != nil {
			return err
		}
		a.Index, a.Title = i, title
		mixed.Mixed.Articles = append(mixed.Mixed.Articles, a)
	}
	return b.scenario(ctx, keyMixed, "mixed 95 % read / 5 % write", "mixed.js", srv, mixed)
}

// uncachedPhase restarts the server with the cache off and runs (d), (e), (f) and issue 14's lists.
func (b *bench) uncachedPhase(ctx context.Context) error {
	srv, _, err := startInkwell(ctx, b.db.URL, b.logw, "INKWELL_CACHE_ENABLED=false")
	if err != nil {
		return err
	}
	defer func() { // the server of the moment: the replica scenario restarts it
		if srv != nil {
			stopLogged(srv)
		}
	}()
	b.api = newAPIClient(srv.baseURL)
	say("walking the cursor %d pages of 100 deep", b.cfg.DeepPages)
	cursor, depth, err := b.api.walkCursor(ctx, b.cfg.DeepPages)
	if err != nil {
		return err
	}
	if n, err := b.api.pageSize(ctx, cursor); err != nil {
		return fmt.Errorf("read the deep page: %w", err)
	} else if n != 20 {
		return fmt.Errorf("the deep page after %d articles has %d articles, want 20", depth, n)
	}
	b.meta.DeepCursorDepth = depth
	base := scenarioConfig{BaseURL: srv.baseURL, RunID: b.runID, Words: b.meta.Words, DeepCursor: cursor}
	if err := b.scenario(ctx, keyUncachedList, "list first page (cache off)", "list.js", srv, base); err != nil {
		return err
	}
	if b.cfg.ReplicaURL != "" {
		stopLogged(srv) // the replica's node runs alone, as (d) did
		if err := b.replicaPhase(ctx, base); err != nil {
			return err
		}
		if srv, _, err = startInkwell(ctx, b.db.URL, b.logw, "INKWELL_CACHE_ENABLED=false"); err != nil {
			srv = nil
			return err
		}
		base.BaseURL, b.api = srv.baseURL, newAPIClient(srv.baseURL)
	}
	if err := b.scenario(ctx, "e", "full-text search (cache off)", "search.js", srv, base); err != nil {
		return err
	}
	if err := b.scenario(ctx, keyDeepPage, "deep cursor page (cache off)", "deep.js", srv, base); err != nil {
		return err
	}
	b.note(keyDeepPage, fmt.Sprintf("after %d articles", depth))
	return b.listScenarios(ctx, srv, base)
}

// measureRelay waits for the webhook deliveries of the write scenario to stop arriving (the relay's
// backlog drained, at most a minute) and records their rate from the scenario's start.
func (b *bench) measureRelay(ctx context.Context, before int64, started time.Time) {
	ended := time.Now()
	last, drained := b.recv.waitQuiet(ctx, 3*time.Second, time.Minute)
	events := b.recv.deliveries.Load() - before
	r := relayStats{Measured: true, Events: events, Drained: drained}
	if events > 0 && last.After(started) {
		r.EventsPerSec = float64(events) / last.Sub(started).Seconds()
		r.DrainSeconds = max(0, last.Sub(ended).Seconds())
	}
	b.meta.Relay = r
	b.note(keyWrites, fmt.Sprintf("%d webhook deliveries received, %.0f/s", events, r.EventsPerSec))
}

// scenario runs one script against srv while measuring srv's CPU and memory.
func (b *bench) scenario(ctx context.Context, key, name, script string, srv *process, cfg scenarioConfig) error {
	if !b.cfg.runs(key) {
		return nil
	}
	say("%-45s %s × %d VUs", name, b.cfg.Duration, b.cfg.VUs)
	sampler, err := startSampling(srv.pid(), 100*time.Millisecond)
	if err != nil {
		return fmt.Errorf("measure %s: %w", srv.name, err)
	}
	stats, runErr := b.gen.run(ctx, key, script, cfg)
	usage, err := sampler.stop()
	if runErr != nil {
		return runErr
	}
	if err != nil {
		return fmt.Errorf("measure %s: %w", srv.name, err)
	}
	server := "inkwell"
	if srv.name != "inkwell serve" {
		server = "ceiling"
	}
	r := result{Key: key, Name: name, Server: server, loadStats: stats}.withUsage(usage)
	b.results = append(b.results, r)
	say("  %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors", r.RPS, r.P50MS, r.P99MS, r.Errors)
	return nil
}

// note adds a remark to a scenario's result.
func (b *bench) note(key, text string) {
	for i := range b.results {
		if b.results[i].Key == key {
			b.results[i].Notes = append(b.results[i].Notes, text)
		}
	}
}

// stopLogged stops a server; a server that had to be killed is worth a line, not a failed run.
func stopLogged(p *process) {
	if err := p.stop(30 * time.Second); err != nil {
		say("stop %s: %v", p.name, err)
	}
}
