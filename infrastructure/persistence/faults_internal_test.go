package persistence

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

func TestConnectionFaultsAreToldFromOtherErrors(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, refused := pgconn.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if refused == nil {
		t.Fatal("connected to port 1")
	}
	opErr := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	for _, tc := range []struct {
		name  string
		err   error
		fault bool
	}{
		{"dial refused", refused, true},
		{"connection reset", fmt.Errorf("query: %w", opErr), true},
		{"unexpected EOF", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"bad connection", driver.ErrBadConn, true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, false},
		{"wrong password", &pgconn.PgError{Code: "28P01"}, false},
		{"not found", gorm.ErrRecordNotFound, false},
		{"client went away", fmt.Errorf("read: %w", context.Canceled), false},
		{"deadline", context.DeadlineExceeded, false},
		{"sqlite busy", errors.New("database is locked (5) (SQLITE_BUSY)"), false},
		{"nil", nil, false},
	} {
		if got := connectionFault(tc.err); got != tc.fault {
			t.Errorf("%s (%v): connection fault %v, want %v", tc.name, tc.err, got, tc.fault)
		}
	}
}

func TestOnlyPlainReadsAreRetryable(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]bool{
		"SELECT a.id FROM articles a WHERE a.slug = $1":                             true,
		"  select count(*) from tags":                                               true,
		"WITH t AS (SELECT 1) SELECT * FROM t":                                      true,
		"SELECT updated_at FROM articles":                                           true,
		"INSERT INTO probe VALUES (1)":                                              false,
		"UPDATE webhook_deliveries SET lease_until = $1 RETURNING id":               false,
		"WITH d AS (DELETE FROM outbox RETURNING id) SELECT id FROM d":              false,
		"SELECT id FROM articles WHERE status = 'scheduled' FOR UPDATE SKIP LOCKED": false,
		"SELECT pg_advisory_xact_lock($1)":                                          false,
		"SELECT nextval('seq')":                                                     false,
		"":                                                                          false,
	} {
		if got := readOnly(q); got != want {
			t.Errorf("readOnly(%q) = %v, want %v", q, got, want)
		}
	}
}
