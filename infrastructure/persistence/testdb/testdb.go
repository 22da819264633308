// Package testdb gives tests a fresh, migrated database on every dialect they should run on: a temp
// SQLite file always, and a new PostgreSQL database when INKWELL_TEST_DATABASE_URL is set. With
// CI=true a missing PostgreSQL fails the test instead of skipping it.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

// PostgresURLEnv names the variable holding an admin URL of the test PostgreSQL server.
const PostgresURLEnv = "INKWELL_TEST_DATABASE_URL"

// Dialects lists the dialects this test run covers. PostgreSQL is included when configured; with
// CI=true it must be.
func Dialects(t testing.TB) []config.Dialect {
	t.Helper()
	out := []config.Dialect{config.DialectSQLite}
	if os.Getenv(PostgresURLEnv) != "" {
		return append(out, config.DialectPostgres)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set but CI=true: the PostgreSQL tests must run in CI", PostgresURLEnv)
	}
	t.Logf("PostgreSQL tests skipped: set %s (make test does when a local server answers)", PostgresURLEnv)
	return out
}

// ForEach runs fn as a subtest on a fresh database of every dialect in Dialects.
func ForEach(t *testing.T, fn func(t *testing.T, db *persistence.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh, migrated database of dialect d, removed when the test ends.
func Open(t testing.TB, d config.Dialect) *persistence.DB {
	t.Helper()
	cfg := Config(t, d)
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	db, cleanup, err := persistence.Open(cfg, log)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(cleanup)
	m, err := persistence.NewMigrator(db)
	if err != nil {
		t.Fatalf("migrator: %v", err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// Config returns database settings pointing at a new, empty database of dialect d (not migrated).
func Config(t testing.TB, d config.Dialect) config.Database {
	t.Helper()
	cfg := config.Default().Database
	cfg.SlowQueryThreshold = 0
	switch d {
	case config.DialectSQLite:
		cfg.URL = "sqlite:" + filepath.Join(t.TempDir(), "inkwell.db")
	case config.DialectPostgres:
		cfg.URL = NewPostgresDatabase(t)
		cfg.MaxOpenConns = 10
	}
	return cfg
}

// NewPostgresDatabase creates an empty database on the test server, drops it when the test ends and
// returns its URL.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(PostgresURLEnv)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set but CI=true", PostgresURLEnv)
		}
		t.Skipf("PostgreSQL tests skipped: set %s", PostgresURLEnv)
	}
	if err := ping(admin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is not reachable: %v", PostgresURLEnv, err)
		}
		t.Skipf("PostgreSQL tests skipped: server at %s not reachable: %v", PostgresURLEnv, err)
	}
	u, drop, err := CreatePostgresDatabase(admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Log(err)
		}
	})
	return u
}

// CreatePostgresDatabase creates an empty database on the server at admin and returns its URL and
// the function that drops it. It is for fixtures that outlive one test (a seeded database shared by
// benchmarks); a test uses NewPostgresDatabase, which drops its database by itself.
func CreatePostgresDatabase(admin string) (dbURL string, drop func() error, err error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, fmt.Errorf("parse %s: %w", PostgresURLEnv, err)
	}
	adminDB, closeAdmin, err := openAdmin(admin)
	if err != nil {
		return "", nil, err
	}
	defer closeAdmin()
	name := "inkwell_test_" + randomSuffix()
	if err := adminDB.Gorm.Exec("CREATE DATABASE " + name).Error; err != nil {
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() error { return dropDatabase(admin, name) }, nil
}

func dropDatabase(admin, name string) error {
	db, closeDB, err := openAdmin(admin)
	if err != nil {
		return fmt.Errorf("drop test database %s: %w", name, err)
	}
	defer closeDB()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.Gorm.WithContext(ctx).Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
		return fmt.Errorf("drop test database %s: %w", name, err)
	}
	return nil
}

func ping(admin string) error {
	_, closeDB, err := openAdmin(admin)
	if err != nil {
		return err
	}
	closeDB()
	return nil
}

func openAdmin(admin string) (*persistence.DB, func(), error) {
	cfg := config.Default().Database
	cfg.URL = admin
	cfg.MaxOpenConns = 2
	return persistence.Open(cfg, zap.NewNop())
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
