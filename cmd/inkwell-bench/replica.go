package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// keyReplicaList is the uncached first list page served by a node with one read replica
// (BENCH_REPLICA_URL), measured in the same run as (d) on the primary alone.
const keyReplicaList = "r"

// replicaURLFor returns the bench database's URL on the replica at replica (whose database part is
// ignored: the bench database made on the primary is streamed to it).
func replicaURLFor(replica, dbURL string) (string, error) {
	r, err := url.Parse(replica)
	if err != nil || r.Host == "" {
		return "", fmt.Errorf("BENCH_REPLICA_URL: not a postgres:// URL: %q", replica)
	}
	d, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	r.Path = d.Path
	return r.String(), nil
}

// replicaPhase restarts the server with the cache off and one replica, waits until the replica
// answers its reads, runs the list scenario again and notes where its reads ran (the server's
// metrics before and after), so the figure says whether the replica really served them.
func (b *bench) replicaPhase(ctx context.Context, base scenarioConfig) error {
	replicaURL, err := replicaURLFor(b.cfg.ReplicaURL, b.db.URL)
	if err != nil {
		return err
	}
	metricsAddr, err := freeAddr()
	if err != nil {
		return err
	}
	// Redis carries the position of the last write (production: nodes share it); without it every
	// read would first ask the primary for its current position, which a replica of a busy server
	// is always a little behind.
	srv, _, err := startInkwell(ctx, b.db.URL, b.logw, "INKWELL_CACHE_ENABLED=false",
		"INKWELL_DATABASE_REPLICA_URLS="+replicaURL, "INKWELL_METRICS_ADDR="+metricsAddr,
		"INKWELL_REDIS_URL="+b.cfg.RedisURL, "INKWELL_CACHE_PREFIX=inkwell-bench-"+b.runID+":")
	if err != nil {
		return err
	}
	defer stopLogged(srv)
	metricsURL := "http://" + metricsAddr + "/metrics"
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := http.Get(srv.baseURL + "/api/v1/articles?limit=20") //nolint:noctx // a warm-up read
		if err != nil {
			return err
		}
		_ = res.Body.Close()
		if reads, _ := routedReads(metricsURL); reads["replica"] > 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the replica at BENCH_REPLICA_URL answered no read within a minute (see %s)", logName(b.logw))
		}
		time.Sleep(100 * time.Millisecond)
	}
	before, err := routedReads(metricsURL)
	if err != nil {
		return err
	}
	cfg := base
	cfg.BaseURL = srv.baseURL
	if err := b.scenario(ctx, keyReplicaList, "list first page (cache off, 1 replica)", "list.js", srv, cfg); err != nil {
		return err
	}
	after, err := routedReads(metricsURL)
	if err != nil {
		return err
	}
	var parts []string
	for _, reason := range []string{"replica", "behind", "unavailable", "replica_failed"} {
		parts = append(parts, fmt.Sprintf("%s %d", reason, after[reason]-before[reason]))
	}
	b.note(keyReplicaList, "reads routed: "+strings.Join(parts, ", "))
	return nil
}

// routedReads scrapes inkwell_database_reads_total by reason.
func routedReads(metricsURL string) (map[string]int64, error) {
	res, err := http.Get(metricsURL) //nolint:noctx // a local scrape
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", metricsURL, err)
	}
	defer res.Body.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, "inkwell_database_reads_total{")
		if !ok {
			continue
		}
		labels, value, _ := strings.Cut(rest, "} ")
		for _, l := range strings.Split(labels, ",") {
			if reason, ok := strings.CutPrefix(l, `reason="`); ok {
				n, _ := strconv.ParseFloat(value, 64)
				out[strings.TrimSuffix(reason, `"`)] = int64(n)
			}
		}
	}
	return out, sc.Err()
}
