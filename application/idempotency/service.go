package idempotency

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/application"
)

// Defaults of Config.
const (
	DefaultTTL           = 24 * time.Hour
	DefaultLease         = time.Minute
	DefaultPurgeInterval = time.Hour
)

// purgeBatch bounds one purge statement, so it never holds locks on a large table for long.
const purgeBatch = 1000

// beginAttempts bounds how often Begin looks again when the record changes under it; each round
// means another request won a race, so giving up with ErrInFlight is the honest answer.
const beginAttempts = 3

// ErrClaimLost is returned by Complete and Release when the request's lease ran out and another
// request took the key over: the response is not stored, and the caller should log it.
var ErrClaimLost = errors.New("idempotency: the key was taken over by another request after the lease ran out")

// Config tunes the service; zero values take the defaults.
type Config struct {
	TTL           time.Duration // how long a response is kept and replayed
	Lease         time.Duration // how long a running request holds its key before a retry may take it over
	PurgeInterval time.Duration // how often the purger deletes expired records
}

// Service stores and replays the first response to each (user, key).
type Service struct {
	cfg   Config
	store Store
	clock application.Clock
	ids   application.IDGenerator
}

// NewService returns the service.
func NewService(cfg Config, store Store, clock application.Clock, ids application.IDGenerator) *Service {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.PurgeInterval <= 0 {
		cfg.PurgeInterval = DefaultPurgeInterval
	}
	return &Service{cfg: cfg, store: store, clock: clock, ids: ids}
}

// Begin decides what to do with a request of userID carrying key: run it (the outcome holds a
// claim; the caller must Complete or Release it), replay the stored response, or refuse it with
// ErrInvalidKey, ErrKeyReused (same key, different request) or ErrInFlight (the first request with
// the key is still running). A record whose holder's lease ran out (it crashed) is taken over, and
// an expired one counts as absent.
func (s *Service) Begin(ctx context.Context, userID, key string, fp Fingerprint) (Outcome, error) {
	if err := ValidateKey(key); err != nil {
		return Outcome{}, err
	}
	if userID == "" {
		return Outcome{}, errors.New("idempotency: begin: no user to scope the key to")
	}
	for range beginAttempts {
		now := s.clock.Now()
		rec := Record{
			UserID: userID, Key: key, Fingerprint: fp, State: StateInFlight, Token: s.ids.NewID(),
			LockedAt: now, ExpiresAt: now.Add(s.cfg.TTL),
		}
		inserted, err := s.store.Insert(ctx, rec)
		if err != nil {
			return Outcome{}, fmt.Errorf("idempotency: begin: %w", err)
		}
		if inserted {
			return Outcome{Claim: claimOf(rec)}, nil
		}
		cur, found, err := s.store.Get(ctx, userID, key)
		if err != nil {
			return Outcome{}, fmt.Errorf("idempotency: begin: %w", err)
		}
		if !found {
			continue // released or purged since the insert: try again
		}
		live := now.Before(cur.ExpiresAt)
		switch {
		case live && cur.Fingerprint != fp:
			return Outcome{}, ErrKeyReused
		case live && cur.State == StateCompleted:
			resp := cur.Response
			return Outcome{Replay: &resp}, nil
		case live && now.Before(cur.LockedAt.Add(s.cfg.Lease)):
			return Outcome{}, ErrInFlight
		}
		took, err := s.store.TakeOver(ctx, cur.Token, rec)
		if err != nil {
			return Outcome{}, fmt.Errorf("idempotency: begin: take over: %w", err)
		}
		if took {
			return Outcome{Claim: claimOf(rec)}, nil
		}
	}
	return Outcome{}, ErrInFlight
}

// Complete ends a claimed request with its response: a storable one is kept for TTL and replayed,
// any other (5xx, 429) frees the key so a retry runs the request again.
func (s *Service) Complete(ctx context.Context, c Claim, resp Response) error {
	if !Storable(resp.Status) {
		return s.Release(ctx, c)
	}
	ok, err := s.store.Complete(ctx, c, resp, s.clock.Now().Add(s.cfg.TTL))
	if err != nil {
		return fmt.Errorf("idempotency: complete: %w", err)
	}
	if !ok {
		return fmt.Errorf("idempotency: complete: %w", ErrClaimLost)
	}
	return nil
}

// Release frees a claimed key without storing anything (the request failed or panicked), so a
// retry runs the request again.
func (s *Service) Release(ctx context.Context, c Claim) error {
	ok, err := s.store.Release(ctx, c)
	if err != nil {
		return fmt.Errorf("idempotency: release: %w", err)
	}
	if !ok {
		return fmt.Errorf("idempotency: release: %w", ErrClaimLost)
	}
	return nil
}

// Purge deletes every record that expired at or before now, in batches, and returns how many.
func (s *Service) Purge(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		n, err := s.store.PurgeExpired(ctx, now, purgeBatch)
		total += n
		if err != nil {
			return total, fmt.Errorf("idempotency: purge: %w", err)
		}
		if n < purgeBatch {
			return total, nil
		}
	}
}

func claimOf(r Record) Claim { return Claim{UserID: r.UserID, Key: r.Key, Token: r.Token} }
