// Package persistence implements the repositories and read models with GORM on PostgreSQL and SQLite,
// carries transactions in the context and owns the embedded SQL migrations.
package persistence

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"go.uber.org/zap"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	// The pure-Go SQLite driver (registers "sqlite"): no cgo, FTS5 included.
	_ "modernc.org/sqlite"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// DB is the opened database: the GORM handle, the raw pool and which dialect it speaks.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect config.Dialect
	faults  *faults
	lists   *listGate
	// replicas are the read replicas (nil without any); Conn sends marked public reads there.
	replicas *replicaSet
}

// Open connects to the configured database, tunes the pool and checks the connection. The returned
// cleanup closes the pool.
func Open(cfg config.Database, log *zap.Logger) (*DB, func(), error) {
	target, err := config.ParseDatabaseURL(cfg.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	gormCfg := &gorm.Config{
		Logger:                 NewGormLogger(log, cfg.SlowQueryThreshold),
		SkipDefaultTransaction: true, // our services open transactions themselves
		PrepareStmt:            false,
		TranslateError:         false, // translated by translateError, which knows both drivers
	}
	f := newFaults(log)
	var gdb *gorm.DB
	switch target.Dialect {
	case config.DialectSQLite:
		gdb, err = openSQLite(target.DSN, gormCfg)
	case config.DialectPostgres:
		gdb, err = openPostgres(target.DSN, cfg.ConnectTimeout, f, gormCfg)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open %s database: %w", target.Dialect, err)
	}
	if err := f.register(gdb); err != nil {
		return nil, nil, fmt.Errorf("open %s database: register fault callbacks: %w", target.Dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, nil, fmt.Errorf("open %s database: %w", target.Dialect, err)
	}
	sqlDB.SetMaxOpenConns(cfg.MaxOpenConns)
	sqlDB.SetMaxIdleConns(cfg.MaxIdleConns)
	sqlDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	db := &DB{Gorm: gdb, SQL: sqlDB, Dialect: target.Dialect, faults: f,
		lists: newListGate(listConcurrency(cfg), cfg.ListWait)}
	cleanup := func() { _ = sqlDB.Close() }
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("open %s database: ping: %w", target.Dialect, err)
	}
	if len(cfg.ReplicaURLs) > 0 {
		if target.Dialect != config.DialectPostgres {
			cleanup()
			return nil, nil, fmt.Errorf("open database: read replicas need a PostgreSQL primary, not %s", target.Dialect)
		}
		if db.replicas, err = openReplicas(cfg, sqlDB, log); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("open database: %w", err)
		}
		f.replicas = db.replicas
		cleanup = func() { db.replicas.close(); _ = sqlDB.Close() }
	}
	return db, cleanup, nil
}

// openPostgres opens a pgx pool that gives up connecting after connectTimeout (unless the URL sets
// connect_timeout itself), so a server that does not answer costs a request a bounded wait and a
// 503 instead of hanging it, and whose liveness check follows faults (see faults.shouldPing).
func openPostgres(dsn string, connectTimeout time.Duration, f *faults, gormCfg *gorm.Config) (*gorm.DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	if q := u.Query(); q.Get("connect_timeout") == "" && connectTimeout > 0 {
		q.Set("connect_timeout", strconv.Itoa(max(1, int(connectTimeout.Round(time.Second).Seconds()))))
		u.RawQuery = q.Encode()
	}
	return gorm.Open(postgres.New(postgres.Config{
		DSN:          u.String(),
		OptionOpenDB: []stdlib.OptionOpenDB{stdlib.OptionShouldPing(f.shouldPing)},
	}), gormCfg)
}

// openSQLite opens a file with the settings a server needs: WAL so readers never block the writer,
// foreign keys on, a busy timeout instead of instant SQLITE_BUSY, and BEGIN IMMEDIATE so a
// transaction takes the write lock up front rather than failing when it upgrades.
func openSQLite(path string, gormCfg *gorm.Config) (*gorm.DB, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create directory for %s: %w", path, err)
		}
	}
	params := url.Values{}
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "synchronous(NORMAL)")
	params.Set("_txlock", "immediate")
	params.Set("_time_format", "sqlite")
	conn, err := sql.Open("sqlite", "file:"+path+"?"+params.Encode())
	if err != nil {
		return nil, err
	}
	return gorm.Open(sqlite.Dialector{DriverName: "sqlite", Conn: conn}, gormCfg)
}

// Ping checks the database answers; readiness uses it.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("database ping: %w", db.faults.translate(err))
	}
	return nil
}
