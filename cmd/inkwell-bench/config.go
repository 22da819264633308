package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The databases the bench runs on.
const (
	dbPostgres = "postgres"
	dbSQLite   = "sqlite"
)

const (
	defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	maxArticles     = 1_000_000
)

// config is the bench's settings, read from BENCH_* environment variables.
type config struct {
	DB       string // BENCH_DB: postgres (default) or sqlite
	AdminURL string // BENCH_DATABASE_URL: a PostgreSQL connection allowed to create databases
	// DatabaseName is BENCH_DATABASE_NAME: the database the run creates and drops (inkwell_bench).
	DatabaseName string
	Articles     int           // BENCH_ARTICLES: seeded articles (default 10000)
	Tags         int           // BENCH_TAGS: seeded tags (default 50)
	Authors      int           // BENCH_AUTHORS: seeded authors (default 20)
	VUs          int           // BENCH_VUS: concurrent connections (default 64)
	Duration     time.Duration // BENCH_DURATION: per scenario (default 20s)
	DeepPages    int           // BENCH_DEEP_PAGES: pages of 100 walked for (f); default 90 % of the articles
	WalkPages    int           // BENCH_WALK_PAGES: pages followed per tag in (c) (default 5)
	K6           string        // BENCH_K6: the k6 binary (default bin/k6)
	KeepDB       bool          // BENCH_KEEP_DB: keep the bench database (or SQLite file) after the run
	// Only is BENCH_SCENARIOS: the keys of the scenarios to run (e.g. "gc,g"); empty runs them all.
	Only map[string]bool
	// BENCH_REPLICA_URL: a streaming replica of the PostgreSQL server; when set, the uncached list
	// also runs on a node reading from it, for the ratio (r)/(d)
	ReplicaURL string
	RedisURL   string // BENCH_REDIS_URL: the Redis of scenario (r) (default redis://127.0.0.1:6379/0)
}

// runs reports whether the scenario with key is part of the run.
func (c config) runs(key string) bool { return len(c.Only) == 0 || c.Only[key] }

// loadConfig reads the settings through getenv; a bad value names its variable.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		DB:           strings.ToLower(strings.TrimSpace(getenv("BENCH_DB"))),
		AdminURL:     getenv("BENCH_DATABASE_URL"),
		DatabaseName: strings.TrimSpace(getenv("BENCH_DATABASE_NAME")),
		K6:           getenv("BENCH_K6"),
		Duration:     20 * time.Second,
		Articles:     10_000,
		Tags:         50,
		Authors:      20,
		VUs:          64,
		WalkPages:    5,
	}
	if c.DB == "" {
		c.DB = dbPostgres
	}
	if c.DB != dbPostgres && c.DB != dbSQLite {
		return config{}, fmt.Errorf("BENCH_DB: %q is neither postgres nor sqlite", c.DB)
	}
	if c.AdminURL == "" {
		c.AdminURL = defaultAdminURL
	}
	if c.DatabaseName == "" {
		c.DatabaseName = defaultBenchDatabase
	}
	if c.K6 == "" {
		c.K6 = "bin/k6"
	}
	ints := []struct {
		name     string
		dst      *int
		min, max int
	}{
		{"BENCH_ARTICLES", &c.Articles, 1, maxArticles},
		{"BENCH_TAGS", &c.Tags, 1, 1000},
		{"BENCH_AUTHORS", &c.Authors, 1, 1000},
		{"BENCH_VUS", &c.VUs, 1, 10_000},
		{"BENCH_DEEP_PAGES", &c.DeepPages, 1, maxArticles / 100},
		{"BENCH_WALK_PAGES", &c.WalkPages, 1, 1000},
	}
	for _, v := range ints {
		raw := strings.TrimSpace(getenv(v.name))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(raw, "_", ""))
		if err != nil || n < v.min || n > v.max {
			return config{}, fmt.Errorf("%s: %q is not a whole number from %d to %d", v.name, raw, v.min, v.max)
		}
		*v.dst = n
	}
	if raw := strings.TrimSpace(getenv("BENCH_DURATION")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < time.Second {
			return config{}, fmt.Errorf("BENCH_DURATION: %q is not a duration of at least 1s (such as 20s or 2m)", raw)
		}
		c.Duration = d
	}
	if c.DeepPages == 0 {
		c.DeepPages = max(1, c.Articles*9/10/100)
	}
	for _, key := range strings.Split(getenv("BENCH_SCENARIOS"), ",") {
		if key = strings.TrimSpace(key); key != "" {
			if c.Only == nil {
				c.Only = map[string]bool{}
			}
			c.Only[key] = true
		}
	}
	if c.ReplicaURL = strings.TrimSpace(getenv("BENCH_REPLICA_URL")); c.ReplicaURL != "" && c.DB != dbPostgres {
		return config{}, fmt.Errorf("BENCH_REPLICA_URL: read replicas need BENCH_DB=postgres")
	}
	if c.RedisURL = strings.TrimSpace(getenv("BENCH_REDIS_URL")); c.RedisURL == "" {
		c.RedisURL = "redis://127.0.0.1:6379/0"
	}
	c.KeepDB = getenv("BENCH_KEEP_DB") != "" && getenv("BENCH_KEEP_DB") != "0" && getenv("BENCH_KEEP_DB") != "false"
	return c, nil
}
