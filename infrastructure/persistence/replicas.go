package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync/atomic"
	"time"

	// The pgx database/sql driver (registers "pgx") for the replicas' pools.
	_ "github.com/jackc/pgx/v5/stdlib"
	"go.uber.org/zap"
	"golang.org/x/sync/singleflight"
	"gorm.io/gorm"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// Read replicas. A read is sent to a replica only when its context was marked with the write-ahead
// log position the answer must include (Replicas.ReadAt) and the replica has replayed at least that
// position; every other statement (writes, transactions, management reads, unmarked reads) runs on
// the primary. Each replica's replayed position is polled (config database.replica_poll) and, when
// a read needs a newer one than the poll saw, asked for at once. A replica that fails a read, stops
// answering its poll or leaves recovery is skipped; a read it failed runs again on the primary, so
// a replica costs at most a round trip, never an error.

// Routing outcomes of marked reads: where they ran and why (the metrics' labels).
const (
	RouteReplica          = "replica"        // a replica had replayed the position the read needs
	RouteBehind           = "behind"         // primary: every usable replica was behind
	RouteUnavailable      = "unavailable"    // primary: no replica was usable (down, failing, not polled yet)
	RouteReplicaFailed    = "replica_failed" // primary: the read failed on a replica and ran again here
	replicaCooldown       = time.Second      // a replica that failed a read is skipped at least this long
	replicaPollTimeout    = time.Second
	replicaStaleAfterPoll = 20 // polls: a replica whose last answer is older than this many intervals is skipped
)

var routes = []string{RouteReplica, RouteBehind, RouteUnavailable, RouteReplicaFailed}

type readAtKey struct{}

// replica is one streaming replica and what its poll last saw.
type replica struct {
	name      string // host:port, for logs and metric labels
	pool      *sql.DB
	replayed  atomic.Int64 // replayed WAL position, -1 until the first successful poll
	seen      atomic.Int64 // unix nanoseconds of the last successful poll
	downUntil atomic.Int64 // unix nanoseconds until which a failed read keeps it skipped
	usable    atomic.Bool  // in recovery, answering its poll
	lagBytes  atomic.Int64
	lagNanos  atomic.Int64
	ask       singleflight.Group
}

// replicaSet routes marked reads among the replicas and keeps their positions fresh.
type replicaSet struct {
	list    []*replica
	primary *sql.DB
	poll    time.Duration
	log     *zap.Logger
	next    atomic.Uint64
	routed  map[string]*atomic.Int64
	stop    context.CancelFunc
	stopped chan struct{}
}

// openReplicas opens a pool per replica URL (no connection yet: a replica that is down at start is
// skipped until it answers) and starts polling them.
func openReplicas(cfg config.Database, primary *sql.DB, log *zap.Logger) (*replicaSet, error) {
	s := &replicaSet{primary: primary, poll: cfg.ReplicaPoll, log: log.Named("replicas"), routed: map[string]*atomic.Int64{}}
	for _, r := range routes {
		s.routed[r] = new(atomic.Int64)
	}
	for _, raw := range cfg.ReplicaURLs {
		u, err := url.Parse(raw)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("replica %s: %w", config.Redact(raw), err)
		}
		// A replica that does not answer must be skipped quickly, not waited for.
		if q := u.Query(); q.Get("connect_timeout") == "" {
			q.Set("connect_timeout", "1")
			u.RawQuery = q.Encode()
		}
		pool, err := sql.Open("pgx", u.String())
		if err != nil {
			s.close()
			return nil, fmt.Errorf("replica %s: %w", config.Redact(raw), err)
		}
		pool.SetMaxOpenConns(cfg.MaxOpenConns)
		pool.SetMaxIdleConns(cfg.MaxIdleConns)
		pool.SetConnMaxLifetime(cfg.ConnMaxLifetime)
		r := &replica{name: u.Host, pool: pool}
		r.replayed.Store(-1)
		s.list = append(s.list, r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stop, s.stopped = cancel, make(chan struct{})
	go s.run(ctx)
	return s, nil
}

// close stops the polling and closes the pools.
func (s *replicaSet) close() {
	if s.stop != nil {
		s.stop()
		<-s.stopped
	}
	for _, r := range s.list {
		_ = r.pool.Close()
	}
}

// pick returns the replica that may answer the reads of ctx, or nil for the primary.
func (s *replicaSet) pick(ctx context.Context) *replica {
	need, marked := ctx.Value(readAtKey{}).(int64)
	if !marked {
		return nil
	}
	n := uint64(len(s.list))
	start := s.next.Add(1)
	var behind []*replica
	for i := range n {
		r := s.list[(start+i)%n]
		if !s.healthy(r) {
			continue
		}
		if r.replayed.Load() >= need {
			s.count(RouteReplica)
			return r
		}
		behind = append(behind, r)
	}
	// The poll may be up to one interval old: ask the replicas that were behind once more.
	for _, r := range behind {
		if s.refresh(ctx, r) >= need {
			s.count(RouteReplica)
			return r
		}
	}
	if len(behind) == 0 {
		s.count(RouteUnavailable)
	} else {
		s.count(RouteBehind)
	}
	return nil
}

func (s *replicaSet) healthy(r *replica) bool {
	now := time.Now().UnixNano()
	return r.usable.Load() && now >= r.downUntil.Load() &&
		time.Duration(now-r.seen.Load()) < max(replicaStaleAfterPoll*s.poll, replicaPollTimeout)
}

func (s *replicaSet) count(route string) { s.routed[route].Add(1) }

// of returns the replica whose pool pool is, or nil.
func (s *replicaSet) of(pool gorm.ConnPool) *replica {
	for _, r := range s.list {
		if gorm.ConnPool(r.pool) == pool {
			return r
		}
	}
	return nil
}

// failed takes r out of rotation after a read failed on it, until a poll after the cooldown sees it
// answering again.
func (s *replicaSet) failed(r *replica, err error) {
	r.downUntil.Store(time.Now().Add(replicaCooldown).UnixNano())
	if r.usable.Swap(false) {
		s.log.Warn("read replica failed a read: skipped, the primary answers", zap.String("replica", r.name), zap.Error(err))
	}
}

// refresh asks r for its replayed position now (one query shared by concurrent callers) and
// returns it; -1 when r does not answer.
func (s *replicaSet) refresh(ctx context.Context, r *replica) int64 {
	// Shared with the poll of the moment, if one is running: its answer is as fresh.
	_, _, _ = r.ask.Do("", func() (any, error) { // pollOne records what it saw
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replicaPollTimeout)
		defer cancel()
		s.pollOne(ctx, r, -1)
		return nil, nil
	})
	if !r.usable.Load() {
		return -1
	}
	return r.replayed.Load()
}

// run polls every replica each interval until ctx ends, each in its own goroutine so that a replica
// that hangs does not delay the others' positions.
func (s *replicaSet) run(ctx context.Context) {
	defer close(s.stopped)
	done := make(chan struct{}, len(s.list))
	ticker := time.NewTicker(s.poll)
	defer ticker.Stop()
	for {
		primaryPos := s.primaryPosition(ctx)
		for _, r := range s.list {
			go func() {
				pctx, cancel := context.WithTimeout(ctx, replicaPollTimeout)
				defer cancel()
				_, _, _ = r.ask.Do("", func() (any, error) { s.pollOne(pctx, r, primaryPos); return nil, nil })
				done <- struct{}{}
			}()
		}
		for range s.list {
			<-done
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// primaryPosition is the primary's current position, for the lag figures; -1 when unknown.
func (s *replicaSet) primaryPosition(ctx context.Context) int64 {
	ctx, cancel := context.WithTimeout(ctx, replicaPollTimeout)
	defer cancel()
	var pos int64
	if err := s.primary.QueryRowContext(ctx, currentPositionSQL).Scan(&pos); err != nil {
		return -1
	}
	return pos
}

// currentPositionSQL is the primary's WAL insert position in bytes: past the commit record of every
// transaction committed before it runs, whether or not that record is flushed yet.
const currentPositionSQL = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint"

// pollOne reads r's replayed position and, when primaryPos is known, its lag.
func (s *replicaSet) pollOne(ctx context.Context, r *replica, primaryPos int64) {
	var (
		recovering bool
		replayed   int64
		age        float64
	)
	err := r.pool.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, -1),
		COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8`).Scan(&recovering, &replayed, &age)
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return // shutting down
	}
	ok := err == nil && recovering && replayed >= 0
	if err == nil && !recovering {
		err = errors.New("not in recovery (promoted?): it no longer follows the primary")
	}
	if ok {
		r.replayed.Store(replayed)
		r.seen.Store(time.Now().UnixNano())
		if primaryPos >= 0 {
			r.lagBytes.Store(max(0, primaryPos-replayed))
			lag := time.Duration(0)
			if replayed < primaryPos {
				lag = time.Duration(age * float64(time.Second))
			}
			r.lagNanos.Store(int64(lag))
		}
	}
	if ok && time.Now().UnixNano() < r.downUntil.Load() {
		return // still cooling down after a failed read
	}
	if was := r.usable.Swap(ok); was != ok {
		if ok {
			s.log.Info("read replica in rotation", zap.String("replica", r.name), zap.Int64("replayed", replayed))
		} else {
			s.log.Warn("read replica out of rotation: the primary answers its reads", zap.String("replica", r.name), zap.Error(err))
		}
	}
}

// ReplicaStatus is what the poll last saw of one replica, for the metrics.
type ReplicaStatus struct {
	Name     string
	Usable   bool
	LagBytes int64
	Lag      time.Duration
}

// ReplicaStatuses returns the state of every configured replica (none without replicas).
func (db *DB) ReplicaStatuses() []ReplicaStatus {
	if db.replicas == nil {
		return nil
	}
	out := make([]ReplicaStatus, len(db.replicas.list))
	for i, r := range db.replicas.list {
		out[i] = ReplicaStatus{Name: r.name, Usable: db.replicas.healthy(r), LagBytes: r.lagBytes.Load(),
			Lag: time.Duration(r.lagNanos.Load())}
	}
	return out
}

// ReadsRouted returns how many marked reads went where, by route (RouteReplica, RouteBehind…).
func (db *DB) ReadsRouted() map[string]int64 {
	out := map[string]int64{}
	if db.replicas != nil {
		for route, n := range db.replicas.routed {
			out[route] = n.Load()
		}
	}
	return out
}

// Replicas implements application.ReadReplicas on the database.
type Replicas struct{ db *DB }

// NewReplicas returns the read routing of db; without configured replicas it is disabled.
func NewReplicas(db *DB) *Replicas { return &Replicas{db: db} }

// Enabled reports whether any replica is configured.
func (r *Replicas) Enabled() bool { return r.db.replicas != nil }

// Position reads the primary's current WAL position, in the transaction of ctx if there is one,
// never on a replica.
func (r *Replicas) Position(ctx context.Context) (int64, error) {
	conn := r.db.Gorm.WithContext(ctx)
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		conn = tx
	}
	var pos int64
	if err := conn.Raw(currentPositionSQL).Scan(&pos).Error; err != nil {
		return 0, fmt.Errorf("replicas: primary position: %w", err)
	}
	return pos, nil
}

// ReadAt marks ctx: its reads may go to a replica that has replayed pos.
func (r *Replicas) ReadAt(ctx context.Context, pos int64) context.Context {
	return context.WithValue(ctx, readAtKey{}, pos)
}
