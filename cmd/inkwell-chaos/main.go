// Command inkwell-chaos runs Inkwell as production does (several `inkwell serve` nodes on one
// PostgreSQL and one Redis, behind HAProxy with deploy/haproxy.cfg), drives a steady mixed load
// through the load balancer and, one after another with recovery time between, kills a node, freezes
// Redis and restarts PostgreSQL. It prints a table per fault and exits 1 when a target of issue 12 is
// missed (2 when the run itself could not be set up). It starts its own PostgreSQL cluster and
// redis-server in a temporary directory, so the machine's shared servers are never touched, and
// installs nothing: a missing tool is named and the run fails. `make chaos`, `make chaos-short`.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

type options struct {
	binary, haproxyCfg    string
	nodes                 int
	cache                 string
	faults                []string
	baseline, recovery    time.Duration
	nodeDown, freeze      time.Duration
	bound                 time.Duration
	readers, writers      int
	perWriter             int
	readEvery, writeEvery time.Duration
	keep                  bool
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("inkwell-chaos", flag.ContinueOnError)
	fs.StringVar(&o.binary, "binary", "bin/inkwell", "the inkwell binary to run (make chaos builds it)")
	fs.StringVar(&o.haproxyCfg, "haproxy-config", "deploy/haproxy.cfg", "the HAProxy config to run (its bind address and server lines are rendered)")
	fs.IntVar(&o.nodes, "nodes", 3, "inkwell serve nodes behind the load balancer")
	fs.StringVar(&o.cache, "cache", "redis", "redis (one shared redis-server) or memory (in-process; one node only)")
	faults := fs.String("faults", "node-kill,redis-freeze,pg-restart", "faults to inject, in order (node-kill, redis-freeze, pg-restart)")
	fs.DurationVar(&o.baseline, "baseline", 10*time.Second, "load before the first fault")
	fs.DurationVar(&o.recovery, "recovery", 12*time.Second, "load after each fault's end, before the next one")
	fs.DurationVar(&o.nodeDown, "node-down", 2*time.Second, "how long a killed node stays dead before it is started again")
	fs.DurationVar(&o.freeze, "freeze", 5*time.Second, "how long redis-server is stopped (SIGSTOP … SIGCONT)")
	fs.DurationVar(&o.bound, "bound", 2*time.Second, "recovery bound: an acknowledged write must be visible this long after its ack (or after the fault's end)")
	fs.IntVar(&o.readers, "readers", 4, "public readers")
	fs.DurationVar(&o.readEvery, "read-every", 40*time.Millisecond, "each reader's interval")
	fs.IntVar(&o.writers, "writers", 2, "editors writing (alternating a create and a PATCH)")
	fs.DurationVar(&o.writeEvery, "write-every", 100*time.Millisecond, "each writer's interval")
	fs.IntVar(&o.perWriter, "articles-per-writer", 40, "published articles each writer renames in turn (many, so that a write is rarely followed by the next one on the same article before its check: a later write's invalidation would hide a stale read)")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (logs, data) after the run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for _, f := range strings.Split(*faults, ",") {
		if f = strings.TrimSpace(f); f != "" {
			o.faults = append(o.faults, f)
		}
	}
	for _, f := range o.faults {
		if !slices.Contains([]string{faultNodeKill, faultRedisFreeze, faultPGRestart}, f) {
			return o, fmt.Errorf("-faults: unknown fault %q (node-kill, redis-freeze, pg-restart)", f)
		}
	}
	switch {
	case o.cache != "redis" && o.cache != "memory":
		return o, fmt.Errorf("-cache: %q is neither redis nor memory", o.cache)
	case o.cache == "memory" && o.nodes != 1:
		return o, errors.New("-cache memory needs -nodes 1: an in-process cache is not shared, so several nodes would serve each other's stale entries by design")
	case o.cache == "memory" && slices.Contains(o.faults, faultRedisFreeze):
		return o, errors.New("-faults: redis-freeze needs -cache redis")
	case o.nodes < 2 && slices.Contains(o.faults, faultNodeKill):
		return o, errors.New("-faults: node-kill needs -nodes 2 or more (one node behind a load balancer fails with it)")
	case o.nodes < 1 || o.readers < 1 || o.writers < 1 || o.perWriter < 1:
		return o, errors.New("-nodes, -readers, -writers and -articles-per-writer must be at least 1")
	case o.recovery <= o.bound:
		return o, errors.New("-recovery must be longer than -bound (the read-after-write checks run in it)")
	}
	return o, nil
}

func main() {
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "inkwell-chaos:", err)
		os.Exit(2)
	}
	var c cleanup
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		fmt.Fprintln(os.Stderr, "inkwell-chaos: interrupted, cleaning up")
		c.run()
		os.Exit(2)
	}()
	code, err := run(opts, &c)
	c.run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "inkwell-chaos:", err)
	}
	os.Exit(code)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// run sets the topology up, runs the load and the faults, verifies and reports. Its exit code: 0
// targets met, 1 a target missed, 2 the run could not be done.
func run(o options, c *cleanup) (int, error) {
	started := time.Now()
	t, err := findTools()
	if err != nil {
		return 2, err
	}
	if !isExecutable(o.binary) {
		return 2, fmt.Errorf("%s is not an executable: build it first (go build -o bin/inkwell ./cmd/inkwell)", o.binary)
	}
	if _, err := os.Stat(o.haproxyCfg); err != nil {
		return 2, fmt.Errorf("-haproxy-config: %w", err)
	}
	dir, err := os.MkdirTemp("", "inkwell-chaos-")
	if err != nil {
		return 2, err
	}
	c.add(func() {
		if o.keep {
			logf("kept %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	})
	ctx := context.Background()

	logf("PostgreSQL: a cluster of its own in %s", dir)
	pg, err := newPostgres(ctx, t, dir)
	if err != nil {
		return 2, err
	}
	c.add(pg.stop)
	env := []string{
		"INKWELL_DATABASE_URL=" + pg.url("inkwell"),
		"INKWELL_LOG_LEVEL=info", "INKWELL_LOG_FORMAT=json", "INKWELL_LOG_ACCESS_LOG=false",
		"INKWELL_RATE_LIMIT_PUBLIC_RPS=0", "INKWELL_RATE_LIMIT_TOKEN_RPS=0", "INKWELL_DEBUG_PPROF_ADDR=", "INKWELL_METRICS_ADDR=",
		"INKWELL_REDIS_URL=",
	}
	var redis *proc
	if o.cache == "redis" {
		var url string
		redis, url, err = startRedis(t, dir)
		if err != nil {
			return 2, err
		}
		c.add(func() { redis.stop(syscall.SIGTERM, 5*time.Second) })
		env = append(env, "INKWELL_REDIS_URL="+url)
		logf("Redis: its own redis-server at %s", url)
	}

	nodes := make([]*node, o.nodes)
	var addrs []string
	for i := range nodes {
		addr, err := freeAddr()
		if err != nil {
			return 2, err
		}
		nodes[i] = &node{name: fmt.Sprintf("node%d", i+1), addr: addr, env: env, binary: o.binary,
			logPath: filepath.Join(dir, fmt.Sprintf("node%d.log", i+1))}
		addrs = append(addrs, addr)
	}
	c.add(func() {
		for _, n := range nodes {
			if n.proc != nil {
				n.proc.stop(syscall.SIGTERM, 20*time.Second)
			}
		}
	})
	// The first node migrates and creates the first admin; the others start on a ready schema.
	if err := nodes[0].start(); err != nil {
		return 2, err
	}
	if err := nodes[0].waitReady(60 * time.Second); err != nil {
		return 2, err
	}
	var token string
	select {
	case token = <-nodes[0].token:
	case <-time.After(10 * time.Second):
		return 2, fmt.Errorf("node1 printed no admin token (see %s)", nodes[0].logPath)
	}
	for _, n := range nodes[1:] {
		if err := n.start(); err != nil {
			return 2, err
		}
	}
	for _, n := range nodes[1:] {
		if err := n.waitReady(60 * time.Second); err != nil {
			return 2, err
		}
	}
	logf("%d inkwell nodes ready (%s cache)", o.nodes, o.cache)

	lb, err := startHAProxy(ctx, t, o.haproxyCfg, dir, addrs)
	if err != nil {
		return 2, err
	}
	c.add(func() { lb.proc.stop(syscall.SIGTERM, 5*time.Second) })
	logf("HAProxy at %s (config %s, rendered from %s)", lb.addr, lb.cfg, o.haproxyCfg)
	time.Sleep(time.Second) // a first round of health checks

	faults := &faultClock{}
	l := newLoad("http://"+lb.addr, token, o.bound, o.nodes, faults)
	arts, err := l.seed(ctx, o.writers*o.perWriter)
	if err != nil {
		return 2, fmt.Errorf("%w (node logs in %s; run with -keep to keep them)", err, dir)
	}
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	drain := make(chan struct{})
	var workers sync.WaitGroup
	inflight := make(chan struct{}, 64*o.readers)
	for range o.readers {
		workers.Go(func() { l.reader(loadCtx, arts, o.readEvery, inflight) })
	}
	per := len(arts) / o.writers
	for w := range o.writers {
		workers.Go(func() { l.writer(loadCtx, w, arts[w*per:(w+1)*per], o.writeEvery) })
	}
	checkerDone := make(chan struct{})
	go func() { l.checker(runCtx, drain); close(checkerDone) }()

	lbSnap := func() lbCounters {
		s, err := lb.counters()
		if err != nil {
			logf("warning: %v", err)
		}
		return s
	}
	loadStart := time.Now()
	logf("load: %d readers every %s, %d writers every %s, through the load balancer; baseline %s",
		o.readers, o.readEvery, o.writers, o.writeEvery, o.baseline)
	phases := []phase{{name: phaseBaseline, start: loadStart}}
	prev := lbSnap()
	time.Sleep(o.baseline)
	for _, f := range o.faults {
		now := time.Now()
		cur := lbSnap()
		phases[len(phases)-1].end, phases[len(phases)-1].lb = now, sub(cur, prev)
		prev = cur
		p := phase{name: f, start: now}
		faults.set(true)
		switch f {
		case faultNodeKill:
			victim := nodes[len(nodes)-1]
			logf("fault: SIGKILL %s", victim.name)
			_ = victim.proc.signal(syscall.SIGKILL)
			<-victim.proc.done
			time.Sleep(o.nodeDown)
			logf("fault: starting %s again", victim.name)
			if err := victim.start(); err != nil {
				return 2, err
			}
			if err := victim.waitReady(60 * time.Second); err != nil {
				return 2, err
			}
		case faultRedisFreeze:
			logf("fault: SIGSTOP redis-server for %s", o.freeze)
			_ = redis.signal(syscall.SIGSTOP)
			time.Sleep(o.freeze)
			_ = redis.signal(syscall.SIGCONT)
		case faultPGRestart:
			logf("fault: pg_ctl restart -m fast")
			if err := pg.restart(ctx); err != nil {
				return 2, err
			}
		}
		faults.set(false)
		p.faultEnd = time.Now()
		logf("fault %s over after %s; recovery %s", f, secs(p.faultEnd.Sub(p.start)), o.recovery)
		phases = append(phases, p)
		time.Sleep(o.recovery)
	}
	phases[len(phases)-1].end = time.Now()
	stopLoad()
	workers.Wait()
	logf("load stopped; waiting for the read-after-write checks and unanswered creates to settle")
	close(drain)
	settled := make(chan struct{})
	go func() { <-checkerDone; l.pending.Wait(); close(settled) }()
	select {
	case <-settled:
	case <-time.After(l.createDeadline + 30*time.Second):
		stopRun()
		return 2, errors.New("checks or creates did not settle in time")
	}
	phases[len(phases)-1].lb = sub(lbSnap(), prev)
	// Late retries and checks belong to the last phase.
	phases[len(phases)-1].end = time.Now().Add(time.Second)

	v, err := verify(ctx, pg.url("inkwell"), l)
	if err != nil {
		return 2, fmt.Errorf("verify: %w", err)
	}
	rows := summarize(phases, l.samples, l.creates, l.acks, l.stale, v)
	if err := writeSamples(filepath.Join(dir, "samples.csv"), loadStart, l.samples); err != nil {
		logf("warning: %v", err)
	}
	fmt.Printf("\ninkwell-chaos: %d node(s), %s cache, PostgreSQL, HAProxy (%s); bound %s; %s in all\n\n",
		o.nodes, o.cache, o.haproxyCfg, o.bound, secs(time.Since(started)))
	printTable(os.Stdout, rows)
	fmt.Println()
	fmt.Println(legend)
	printDetails(l, v)
	miss := missed(rows)
	fmt.Println()
	if len(miss) == 0 {
		fmt.Println("targets met: 0 lost, 0 duplicated, 0 stale beyond the bound, 0 failed reads for the node kill, only 503 (with Retry-After) for the PostgreSQL restart, every request answered and no 5xx for the Redis freeze")
		return 0, nil
	}
	fmt.Println("TARGETS MISSED:")
	for _, m := range miss {
		fmt.Println("  - " + m)
	}
	if o.keep {
		fmt.Printf("logs: %s\n", dir)
	}
	return 1, nil
}

func sub(a, b lbCounters) lbCounters {
	return lbCounters{Retries: a.Retries - b.Retries, Redispatches: a.Redispatches - b.Redispatches}
}

// printDetails lists what the totals do not show: acknowledged writes, creates given up, and the
// first stale reads.
func printDetails(l *load, v verdict) {
	var acked, gaveUp, rejected int
	for _, c := range l.creates {
		switch {
		case c.id != "":
			acked++
		case c.gaveUp:
			gaveUp++
		case c.rejected != 0:
			rejected++
		}
	}
	confirmed := 0
	for _, a := range l.acks {
		if a.confirmed {
			confirmed++
		}
	}
	fmt.Printf("\nwrites: %d creates acknowledged (%d given up after retrying %s, %d rejected); %d PATCHes acknowledged (%d of them unanswered and found applied by reading back)\n",
		acked, gaveUp, l.createDeadline, rejected, len(l.acks), confirmed)
	for i, s := range l.stale {
		if i == 5 {
			fmt.Printf("  … and %d more stale reads\n", len(l.stale)-5)
			break
		}
		fmt.Printf("  stale: article %s acknowledged %q (v%d); %s later the public read showed %q (v%d)\n",
			s.ack.art.id, s.ack.title, s.ack.version, secs(s.after), s.seenTitle, s.seenVer)
	}
	for _, c := range v.lostCreates {
		fmt.Printf("  lost: create %s acknowledged as %s, not in the database\n", c.key, c.id)
	}
	for _, p := range v.lostPatches {
		fmt.Printf("  lost: PATCH of %s to %q (v%d) acknowledged, not in the database\n", p.art.id, p.title, p.version)
	}
	for title, n := range v.duplicates {
		fmt.Printf("  duplicate: %d articles titled %q\n", n, title)
	}
}

// verify reads the database back: every acknowledged create is there, every acknowledged PATCH left
// its revision and no article is older than its last acknowledged version, and no Idempotency-Key
// made two articles.
func verify(ctx context.Context, url string, l *load) (verdict, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return verdict{}, err
	}
	defer db.Close()
	v := verdict{duplicates: map[string]int{}}
	for _, c := range l.creates {
		if c.id == "" {
			continue
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM articles WHERE id = $1", c.id).Scan(&n); err != nil {
			return v, err
		}
		if n == 0 {
			v.lostCreates = append(v.lostCreates, c)
		}
	}
	last := map[string]patchAck{}
	for _, a := range l.acks {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM article_revisions WHERE article_id = $1 AND title = $2",
			a.art.id, a.title).Scan(&n); err != nil {
			return v, err
		}
		if n == 0 {
			v.lostPatches = append(v.lostPatches, a)
			continue
		}
		if a.version > last[a.art.id].version {
			last[a.art.id] = a
		}
	}
	for id, a := range last {
		var version int64
		var title string
		if err := db.QueryRowContext(ctx, "SELECT version, title FROM articles WHERE id = $1", id).Scan(&version, &title); err != nil {
			return v, err
		}
		if version < a.version || version == a.version && title != a.title {
			v.lostPatches = append(v.lostPatches, a)
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT title, count(*) FROM articles WHERE title LIKE 'chaos create %' GROUP BY title HAVING count(*) > 1")
	if err != nil {
		return v, err
	}
	defer rows.Close()
	for rows.Next() {
		var title string
		var n int
		if err := rows.Scan(&title, &n); err != nil {
			return v, err
		}
		v.duplicates[title] = n
	}
	return v, rows.Err()
}

// writeSamples keeps every exchange for a closer look (-keep keeps the directory).
func writeSamples(path string, t0 time.Time, samples []sample) error {
	var b strings.Builder
	b.WriteString("kind,sent_s,latency_ms,status,retry\n")
	names := []string{"read", "list", "check", "admin_read", "create", "patch"}
	for _, s := range samples {
		fmt.Fprintf(&b, "%s,%.3f,%.1f,%s,%t\n", names[s.kind], s.sent.Sub(t0).Seconds(),
			float64(s.done.Sub(s.sent).Microseconds())/1000, s.label(), s.retry)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
