package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// defaultBenchDatabase is the PostgreSQL database the bench creates afresh on every run, unless
// BENCH_DATABASE_NAME names another (two runs at once on one server need two names).
const defaultBenchDatabase = "inkwell_bench"

// database is the bench's store: its Inkwell URL and how to remove it.
type database struct {
	URL    string
	drop   func(context.Context) error
	detail string // what to print: the database or file, without a password
}

// prepareDatabase creates an empty database for the run: a fresh BENCH_DATABASE_NAME on the PostgreSQL
// server of cfg.AdminURL, or a SQLite file in a temporary directory.
func prepareDatabase(ctx context.Context, cfg config) (*database, error) {
	if cfg.DB == dbSQLite {
		dir, err := os.MkdirTemp("", "inkwell-bench-")
		if err != nil {
			return nil, err
		}
		file := filepath.Join(dir, "inkwell.db")
		return &database{URL: "sqlite:" + file, detail: file,
			drop: func(context.Context) error { return os.RemoveAll(dir) }}, nil
	}
	benchURL, err := withDatabase(cfg.AdminURL, cfg.DatabaseName)
	if err != nil {
		return nil, err
	}
	admin, err := sql.Open("pgx", cfg.AdminURL)
	if err != nil {
		return nil, fmt.Errorf("BENCH_DATABASE_URL: %w", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL (BENCH_DATABASE_URL %s): %w; start it or run with BENCH_DB=sqlite", redact(cfg.AdminURL), err)
	}
	if err := dropDatabase(ctx, admin, cfg.DatabaseName); err != nil {
		return nil, err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pgx.Identifier{cfg.DatabaseName}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create database %s: %w", cfg.DatabaseName, err)
	}
	adminURL, name := cfg.AdminURL, cfg.DatabaseName
	return &database{URL: benchURL, detail: redact(benchURL), drop: func(ctx context.Context) error {
		db, err := sql.Open("pgx", adminURL)
		if err != nil {
			return err
		}
		defer db.Close()
		return dropDatabase(ctx, db, name)
	}}, nil
}

// dropDatabase removes the bench database, closing the connections a killed server left behind.
func dropDatabase(ctx context.Context, admin *sql.DB, name string) error {
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// withDatabase returns the PostgreSQL URL u pointing at database name instead.
func withDatabase(u, name string) (string, error) {
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "postgres" && parsed.Scheme != "postgresql") {
		return "", fmt.Errorf("BENCH_DATABASE_URL: %q is not a postgres:// URL", redact(u))
	}
	parsed.Path = "/" + name
	return parsed.String(), nil
}

// redact hides the password of a URL for printing.
func redact(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return parsed.Redacted()
}
