package persistence_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

type faultCounts struct {
	mu                          sync.Mutex
	unavailable, retried, rfail int
}

func (c *faultCounts) Unavailable() { c.mu.Lock(); c.unavailable++; c.mu.Unlock() }
func (c *faultCounts) ReadRetried(ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.retried++
	if !ok {
		c.rfail++
	}
}

func (c *faultCounts) get() (unavailable, retried, failed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.unavailable, c.retried, c.rfail
}

// openThroughProxy opens a fresh PostgreSQL database whose connections go through a proxy the test
// controls, with its faults counted.
func openThroughProxy(t *testing.T) (*persistence.DB, *testdb.Proxy, *faultCounts) {
	t.Helper()
	cfg, proxy := testdb.ConfigThroughProxy(t)
	db, cleanup, err := persistence.Open(cfg, zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	counts := &faultCounts{}
	db.SetObserver(counts)
	if err := db.Gorm.Exec("CREATE TABLE probe (v text NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	return db, proxy, counts
}

// TestDatabaseOutageIsUnavailableAndHealsWithoutRestart: with the server refusing connections, every
// kind of operation fails with database_unavailable (a 503, not a 500); once it answers again the
// same pool works, its dead connections discarded.
func TestDatabaseOutageIsUnavailableAndHealsWithoutRestart(t *testing.T) {
	t.Parallel()
	db, proxy, counts := openThroughProxy(t)
	ctx := context.Background()
	tx := persistence.NewTxManager(db)
	var n int64
	read := func() error { return db.Conn(ctx).Raw("SELECT count(*) FROM probe").Scan(&n).Error }
	find := func() error { return db.Conn(ctx).Table("probe").Count(&n).Error }
	write := func() error { return db.Conn(ctx).Exec("INSERT INTO probe (v) VALUES ('x')").Error }
	inTx := func() error {
		return tx.Do(ctx, func(ctx context.Context) error {
			return db.Conn(ctx).Exec("INSERT INTO probe (v) VALUES ('y')").Error
		})
	}
	for name, op := range map[string]func() error{"read": read, "find": find, "write": write, "tx": inTx} {
		if err := op(); err != nil {
			t.Fatalf("%s before the outage: %v", name, err)
		}
	}

	proxy.Cut()
	for name, op := range map[string]func() error{"read": read, "find": find, "write": write, "tx": inTx, "ping": func() error { return db.Ping(ctx) }} {
		err := op()
		if !errors.Is(err, shared.ErrDatabaseUnavailable) || shared.KindOf(err) != shared.KindUnavailable {
			t.Errorf("%s during the outage: %v; want database_unavailable", name, err)
		}
	}
	if u, _, _ := counts.get(); u < 5 {
		t.Errorf("%d unavailable operations counted, want at least 5", u)
	}

	proxy.Restore()
	deadline := time.Now().Add(5 * time.Second)
	for name, op := range map[string]func() error{"read": read, "find": find, "write": write, "tx": inTx, "ping": func() error { return db.Ping(ctx) }} {
		var err error
		for err = op(); err != nil && time.Now().Before(deadline); err = op() {
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Errorf("%s after the outage: %v", name, err)
		}
	}
}

// TestDroppedReadIsRetriedOnceAndWritesNever: a read outside a transaction whose connection drops
// mid-statement runs again on another connection and succeeds; a write or a read in a transaction
// whose connection drops fails with database_unavailable and is not run again (the write was applied
// once: the server had it).
func TestDroppedReadIsRetriedOnceAndWritesNever(t *testing.T) {
	t.Parallel()
	db, proxy, counts := openThroughProxy(t)
	ctx := context.Background()

	t.Run("raw scan", func(t *testing.T) {
		var v string
		proxy.DropOnNext("probe-raw")
		if err := db.Conn(ctx).Raw("SELECT 'probe-raw'::text AS v").Scan(&v).Error; err != nil || v != "probe-raw" {
			t.Fatalf("read: %q, %v", v, err)
		}
	})
	t.Run("find", func(t *testing.T) {
		var rows []struct{ V string }
		proxy.DropOnNext("probe-find")
		if err := db.Conn(ctx).Table("probe").Where("v <> ?", "probe-find").Find(&rows).Error; err != nil {
			t.Fatalf("read: %v", err)
		}
	})
	if proxy.Dropped() != 2 {
		t.Fatalf("the proxy dropped %d connections, want 2", proxy.Dropped())
	}
	if _, retried, failed := counts.get(); retried != 2 || failed != 0 {
		t.Fatalf("%d reads retried (%d failed), want 2 retried, all successfully", retried, failed)
	}

	// With parameters, as every write of the repositories: pgx v5.11 reports a statement without
	// any (sent with the simple protocol) that lost its connection after it was sent as "conn
	// closed", safe to retry, and database/sql runs it again.
	proxy.DropOnNext("probe-write")
	err := db.Conn(ctx).Exec("INSERT INTO probe (v) VALUES (?)", "probe-write").Error
	if !errors.Is(err, shared.ErrDatabaseUnavailable) {
		t.Fatalf("dropped write: %v; want database_unavailable", err)
	}
	proxy.DropOnNext("probe-tx")
	err = persistence.NewTxManager(db).Do(ctx, func(ctx context.Context) error {
		var v string
		return db.Conn(ctx).Raw("SELECT 'probe-tx'::text").Scan(&v).Error
	})
	if !errors.Is(err, shared.ErrDatabaseUnavailable) {
		t.Fatalf("dropped read in a transaction: %v; want database_unavailable", err)
	}
	if _, retried, _ := counts.get(); retried != 2 {
		t.Fatalf("%d reads retried, want still 2: a write or a transaction is never retried", retried)
	}
	var written int64
	if err := db.Conn(ctx).Table("probe").Where("v = ?", "probe-write").Count(&written).Error; err != nil || written != 1 {
		t.Fatalf("the dropped write is there %d times (%v), want once", written, err)
	}
}
