package persistence

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"go.uber.org/zap"
	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Observer hears about database faults the callers cannot count themselves; infrastructure/metrics
// implements it.
type Observer interface {
	// Unavailable counts an operation that failed because the database was not reachable.
	Unavailable()
	// ReadRetried counts a read retried after its connection dropped, and whether the retry worked.
	ReadRetried(succeeded bool)
}

// suspectWindow is how long after a connection fault every pooled connection is checked (one
// round trip) before it is handed out: after a restart the pool is full of dead connections, and
// handing them out would turn a recovered database into more failed requests.
const suspectWindow = 5 * time.Second

// faults translates connection faults into shared.ErrDatabaseUnavailable, at the source, and
// retries once a read whose connection dropped under it.
type faults struct {
	log      *zap.Logger
	observer atomic.Pointer[Observer]
	lastLost atomic.Int64 // unix nanoseconds of the last connection fault seen
	replicas *replicaSet  // set once by Open, before any statement runs; nil without replicas
}

func newFaults(log *zap.Logger) *faults { return &faults{log: log.Named("database")} }

// SetObserver makes o hear about database faults from now on.
func (db *DB) SetObserver(o Observer) { db.faults.observer.Store(&o) }

// register hooks the fault handling into every GORM operation: the query and row callbacks retry a
// dropped read, and a last callback on every processor translates what is still a connection fault.
func (f *faults) register(g *gorm.DB) error {
	cb := g.Callback()
	if err := cb.Query().Replace("gorm:query", f.query); err != nil {
		return err
	}
	if err := cb.Row().Replace("gorm:row", f.row); err != nil {
		return err
	}
	// A write never runs on a replica, even from a context marked for replica reads.
	onPrimary := func(db *gorm.DB) {
		if f.replicas != nil && f.replicas.of(db.Statement.ConnPool) != nil {
			db.Statement.ConnPool = f.replicas.primary
		}
	}
	const primaryName = "inkwell:writes_on_primary"
	for _, err := range []error{
		cb.Create().Before("*").Register(primaryName, onPrimary),
		cb.Update().Before("*").Register(primaryName, onPrimary),
		cb.Delete().Before("*").Register(primaryName, onPrimary),
		cb.Raw().Before("*").Register(primaryName, onPrimary),
	} {
		if err != nil {
			return err
		}
	}
	translateLast := func(db *gorm.DB) { db.Error = f.translate(db.Error) }
	const name = "inkwell:translate_faults"
	for _, err := range []error{
		cb.Create().After("*").Register(name, translateLast),
		cb.Query().After("*").Register(name, translateLast),
		cb.Update().After("*").Register(name, translateLast),
		cb.Delete().After("*").Register(name, translateLast),
		cb.Row().After("*").Register(name, translateLast),
		cb.Raw().After("*").Register(name, translateLast),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// translate returns err as shared.ErrDatabaseUnavailable (wrapping it) when it is a connection
// fault, and err unchanged otherwise.
func (f *faults) translate(err error) error {
	if err == nil || errors.Is(err, shared.ErrDatabaseUnavailable) || !connectionFault(err) {
		return err
	}
	f.lost()
	if o := f.observer.Load(); o != nil {
		(*o).Unavailable()
	}
	return shared.ErrDatabaseUnavailable.WithCause(err)
}

func (f *faults) lost() { f.lastLost.Store(time.Now().UnixNano()) }

// shouldPing is the pool's liveness check: pgx's default (a connection idle for over a second) and,
// shortly after a fault, every connection.
func (f *faults) shouldPing(_ context.Context, p stdlib.ShouldPingParams) bool {
	return p.IdleDuration > time.Second || time.Since(time.Unix(0, f.lastLost.Load())) < suspectWindow
}

// query is GORM's query callback, run again on the primary when it failed on a replica, and
// retried once when a read's connection dropped.
func (f *faults) query(db *gorm.DB) {
	callbacks.Query(db)
	if f.replicaFailed(db) {
		callbacks.Query(db)
	}
	if f.retryable(db) {
		f.retry(db, func() { callbacks.Query(db) })
	}
}

// row is GORM's row callback (Raw(…).Scan and Rows), retried once the same way. RowQuery consumes
// the "rows" setting, so the retry puts it back.
func (f *faults) row(db *gorm.DB) {
	isRows, _ := db.Get("rows")
	callbacks.RowQuery(db)
	if isRows == true && f.replicaFailed(db) {
		db.Statement.Settings.Store("rows", true)
		callbacks.RowQuery(db)
	}
	if isRows == true && f.retryable(db) {
		f.retry(db, func() {
			db.Statement.Settings.Store("rows", true)
			callbacks.RowQuery(db)
		})
	}
}

func (f *faults) retry(db *gorm.DB, run func()) {
	first := db.Error
	f.lost() // the retry's connection is checked before use
	db.Error, db.RowsAffected = nil, 0
	run()
	if o := f.observer.Load(); o != nil {
		(*o).ReadRetried(db.Error == nil)
	}
	f.log.Warn("read retried on another connection after its connection dropped",
		zap.Error(first), zap.Bool("succeeded", db.Error == nil))
}

// replicaFailed reports whether the statement that just ran failed on a read replica; if so it
// takes the replica out of rotation and points the statement at the primary, to run again there:
// whatever went wrong on the replica (a dropped connection, a query cancelled by a recovery
// conflict, a replica that left recovery), the primary's answer is the right one. A statement
// error would fail on the primary as well and is reported from there.
func (f *faults) replicaFailed(db *gorm.DB) bool {
	if f.replicas == nil || db.Error == nil || errors.Is(db.Error, gorm.ErrRecordNotFound) ||
		db.Statement.Context.Err() != nil {
		return false
	}
	r := f.replicas.of(db.Statement.ConnPool)
	if r == nil {
		return false
	}
	f.replicas.failed(r, db.Error)
	f.replicas.count(RouteReplicaFailed)
	db.Statement.ConnPool = f.replicas.primary
	db.Error, db.RowsAffected = nil, 0
	return true
}

// retryable reports whether the statement that just failed may run again: a read (never a write,
// which may have been applied: the client retries those with an Idempotency-Key), outside a
// transaction (whose connection is gone with it), that lost an established connection (a refused
// connection would only be refused again) while its caller still waits.
func (f *faults) retryable(db *gorm.DB) bool {
	if db.Error == nil || db.Statement.Context.Err() != nil || !connectionFault(db.Error) {
		return false
	}
	if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		return false
	}
	var connect *pgconn.ConnectError
	if errors.As(db.Error, &connect) {
		return false
	}
	return readOnly(db.Statement.SQL.String())
}

// readOnly reports whether a statement only reads: it starts with SELECT or WITH and names no
// writing or locking keyword anywhere. It errs on the side of "no" (no retry).
func readOnly(query string) bool {
	words := strings.FieldsFunc(strings.ToLower(query), func(r rune) bool {
		return (r < 'a' || r > 'z') && r != '_'
	})
	if len(words) == 0 || (words[0] != "select" && words[0] != "with") {
		return false
	}
	for _, w := range words {
		switch w {
		case "insert", "update", "delete", "merge", "lock", "nextval", "setval", "pg_advisory_lock", "pg_advisory_xact_lock":
			return false
		}
	}
	return true
}

// unavailableCodes are PostgreSQL errors that mean the server cannot serve now, not that the
// statement is wrong: admin_shutdown (a restart or a terminated backend), crash_shutdown,
// cannot_connect_now (starting up or in recovery) and too_many_connections. Class 08 (connection
// exception) is matched as a whole.
var unavailableCodes = map[string]bool{"57P01": true, "57P02": true, "57P03": true, "53300": true}

// connectionFault reports whether err means the database could not be reached or dropped the
// connection: a refused or reset connection, a server shutting down or starting up. A caller that
// gave up (context canceled or past its deadline) is not one, nor is a query error, nor SQLite's
// "database is locked" (a busy writer, not an absent database).
func connectionFault(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || unavailableCodes[pgErr.Code]
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	// SafeToRetry: pgx failed before sending anything, on a connection already closed.
	return errors.As(err, &connect) || errors.As(err, &netErr) || pgconn.SafeToRetry(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
