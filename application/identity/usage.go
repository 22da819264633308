package identity

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/identity"
)

const (
	// usageInterval is how stale last_used_at may be: a token's use is written at most this often
	// per node, so a busy token costs one UPDATE a minute instead of one per request.
	usageInterval = time.Minute
	// usageWriteTimeout bounds one write, so a hung database cannot wedge the writer.
	usageWriteTimeout = 5 * time.Second
)

// usageRecorder moves tokens' last_used_at off the request path: record only notes the time in
// memory (and drops it when the token was written less than usageInterval ago); one background
// goroutine writes what is pending. Its memory is bounded by the tokens used in the last interval.
type usageRecorder struct {
	tokens identity.TokenRepository
	clock  application.Clock
	log    *zap.Logger

	mu      sync.Mutex
	written map[string]time.Time // when each token's use was last queued
	pending map[string]time.Time // uses waiting to be written

	wake      chan struct{}
	stop      chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
}

func newUsageRecorder(tokens identity.TokenRepository, clock application.Clock, log *zap.Logger) *usageRecorder {
	r := &usageRecorder{
		tokens: tokens, clock: clock, log: log,
		written: map[string]time.Time{}, pending: map[string]time.Time{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	go r.run()
	return r
}

// record notes that token id was used at at; it never blocks on the database.
func (r *usageRecorder) record(id string, at time.Time) {
	r.mu.Lock()
	last, seen := r.written[id]
	due := !seen || at.Sub(last) >= usageInterval
	if due {
		r.written[id] = at
		r.pending[id] = at
	}
	r.mu.Unlock()
	if due {
		select {
		case r.wake <- struct{}{}:
		default: // a wake-up is already queued; it will take this one along
		}
	}
}

func (r *usageRecorder) run() {
	defer close(r.stopped)
	for {
		select {
		case <-r.wake:
			r.flush()
		case <-r.stop:
			r.flush()
			return
		}
	}
}

// flush writes every pending use and forgets tokens not used for an interval. A failed write is
// logged here, the only place that sees it, and not retried: the next use records it again.
func (r *usageRecorder) flush() {
	r.mu.Lock()
	batch := r.pending
	r.pending = map[string]time.Time{}
	now := r.clock.Now()
	for id, at := range r.written {
		if now.Sub(at) >= usageInterval {
			delete(r.written, id)
		}
	}
	r.mu.Unlock()
	for id, at := range batch {
		ctx, cancel := context.WithTimeout(context.Background(), usageWriteTimeout)
		if err := r.tokens.TouchLastUsed(ctx, id, at); err != nil {
			r.log.Warn("recording token use failed", zap.String("token_id", id), zap.Error(err))
		}
		cancel()
	}
}

// close writes what is pending and stops the writer; later calls do nothing.
func (r *usageRecorder) close() {
	r.closeOnce.Do(func() {
		close(r.stop)
		<-r.stopped
	})
}
