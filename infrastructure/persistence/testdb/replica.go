package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	// The pgx database/sql driver (registers "pgx").
	_ "github.com/jackc/pgx/v5/stdlib"
)

// ReplicaURLEnv names the variable holding the URL of a streaming replica of the test PostgreSQL
// server (scripts/pg-replica makes one and prints it; .ci/run exports it). Its database part is
// ignored: every test database made on the primary is replicated to it.
const ReplicaURLEnv = "INKWELL_TEST_REPLICA_URL"

// Replica is the test server's streaming replica.
type Replica struct {
	admin string // URL of the replica's postgres database
}

// NeedReplica returns the test replica; without one the test is skipped, or fails with CI=true.
func NeedReplica(t testing.TB) *Replica {
	t.Helper()
	raw := os.Getenv(ReplicaURLEnv)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set but CI=true: the read replica tests must run in CI (scripts/pg-replica)", ReplicaURLEnv)
		}
		t.Skipf("read replica tests skipped: set %s (scripts/pg-replica prints it)", ReplicaURLEnv)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", ReplicaURLEnv, err)
	}
	u.Path = "/postgres"
	r := &Replica{admin: u.String()}
	if _, err := r.query(context.Background(), "SELECT pg_is_in_recovery()::text"); err != nil {
		t.Fatalf("the replica at %s does not answer: %v", ReplicaURLEnv, err)
	}
	return r
}

// URLFor returns the URL of the database of primaryURL (a test database) on the replica.
func (r *Replica) URLFor(t testing.TB, primaryURL string) string {
	t.Helper()
	p, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(r.admin)
	u.Path = p.Path
	return u.String()
}

// Pause stops the replica replaying WAL (it keeps receiving it) until Resume; the test's cleanup
// resumes it in any case.
func (r *Replica) Pause(t testing.TB) {
	t.Helper()
	t.Cleanup(func() { r.Resume(t) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.query(ctx, "SELECT pg_wal_replay_pause()::text"); err != nil {
		t.Fatalf("pause replay: %v", err)
	}
	for ctx.Err() == nil {
		if state, err := r.query(ctx, "SELECT pg_get_wal_replay_pause_state()"); err == nil && state == "paused" {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("replay did not pause within 10 s")
}

// Resume lets the replica replay again.
func (r *Replica) Resume(t testing.TB) {
	t.Helper()
	if _, err := r.query(context.Background(), "SELECT pg_wal_replay_resume()::text"); err != nil {
		t.Errorf("resume replay: %v", err)
	}
}

func (r *Replica) query(ctx context.Context, q string) (string, error) {
	db, err := sql.Open("pgx", r.admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var out string
	if err := db.QueryRowContext(ctx, q).Scan(&out); err != nil {
		return "", fmt.Errorf("replica: %s: %w", q, err)
	}
	return out, nil
}
