// Package worker paces the background loops every node runs (webhook relay, scheduler, purgers):
// each waits its interval while the database answers, and backs off exponentially while the
// database is unavailable, logging the outage once when it starts and once when it ends rather than
// once per tick.
package worker

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Metrics is what the pacer reports; infrastructure/metrics implements it.
type Metrics interface {
	// BackedOff counts one back-off wait of a worker.
	BackedOff(worker string)
	// BackingOff says whether a worker is backing off now.
	BackingOff(worker string, on bool)
}

// Backoff bounds the waits while the database is unavailable: the first is Min, each next one
// doubles, none is longer than Max.
type Backoff struct {
	Min, Max time.Duration
	Metrics  Metrics // nil reports nothing
}

// DefaultBackoff notices the end of a restart of a few seconds within a second or two, and costs a
// long outage one query per worker and node every 30 s.
var DefaultBackoff = Backoff{Min: time.Second, Max: 30 * time.Second}

// Pacer paces one worker's loop. Its methods may be called from several goroutines of the worker.
type Pacer struct {
	name     string
	interval time.Duration
	backoff  Backoff
	log      *zap.Logger

	mu       sync.Mutex
	failure  error         // an unavailability met in this round, nil when none
	delay    time.Duration // the current back-off; 0 while the database answers
	downFrom time.Time
}

// Pacer returns the pacer of the worker called name that runs every interval while the database
// answers. A zero Min or Max takes DefaultBackoff's.
func (b Backoff) Pacer(name string, interval time.Duration, log *zap.Logger) *Pacer {
	if b.Min <= 0 {
		b.Min = DefaultBackoff.Min
	}
	if b.Max < b.Min {
		b.Max = max(b.Min, DefaultBackoff.Max)
	}
	return &Pacer{name: name, interval: interval, backoff: b, log: log}
}

// Unavailable records err if it says the database is unavailable and reports whether it did. Then
// the caller does not log err: the pacer logs the outage once.
func (p *Pacer) Unavailable(err error) bool {
	if err == nil || shared.KindOf(err) != shared.KindUnavailable {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failure == nil {
		p.failure = err
	}
	return true
}

// Wait ends a round: it waits the interval, or the next back-off when the round met an unavailable
// database, and reports false when ctx ended first.
func (p *Pacer) Wait(ctx context.Context) bool {
	t := time.NewTimer(p.next())
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// next closes the round and returns the wait before the next one.
func (p *Pacer) next() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	failure := p.failure
	p.failure = nil
	switch {
	case failure == nil && p.delay == 0:
		return p.interval
	case failure == nil:
		p.log.Info("database reachable again: worker resumes",
			zap.String("worker", p.name), zap.Duration("unavailable_for", time.Since(p.downFrom).Round(time.Millisecond)))
		p.delay = 0
		p.report(func(m Metrics) { m.BackingOff(p.name, false) })
		return p.interval
	case p.delay == 0:
		p.delay, p.downFrom = p.backoff.Min, time.Now()
		p.log.Warn("database unavailable: worker backs off until it answers",
			zap.String("worker", p.name), zap.Duration("first_retry_in", p.delay), zap.Duration("max_backoff", p.backoff.Max),
			zap.Error(failure))
		p.report(func(m Metrics) { m.BackingOff(p.name, true) })
	default:
		p.delay = min(2*p.delay, p.backoff.Max)
	}
	p.report(func(m Metrics) { m.BackedOff(p.name) })
	return p.delay
}

func (p *Pacer) report(fn func(Metrics)) {
	if p.backoff.Metrics != nil {
		fn(p.backoff.Metrics)
	}
}
