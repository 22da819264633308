package idempotency

import (
	"context"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/worker"
)

// Purger deletes expired records on an interval. It runs in every node; the deletes are idempotent,
// so nodes purging at once only share the work.
type Purger struct {
	svc  *Service
	log  *zap.Logger
	pace *worker.Pacer
}

// NewPurger returns the purge worker of svc, which runs every Config.PurgeInterval; Run starts it.
func NewPurger(svc *Service, backoff worker.Backoff, log *zap.Logger) *Purger {
	p := &Purger{svc: svc, log: log.Named("idempotency_purger")}
	p.pace = backoff.Pacer("idempotency-purger", svc.cfg.PurgeInterval, p.log)
	return p
}

// Run purges at once and then on every tick until ctx is done, then returns nil. A failure is logged
// here, the worker's boundary, and the next tick tries again; while the database is unavailable the
// ticks back off.
func (p *Purger) Run(ctx context.Context) error {
	for {
		p.purge(ctx)
		if !p.pace.Wait(ctx) {
			return nil
		}
	}
}

func (p *Purger) purge(ctx context.Context) {
	n, err := p.svc.Purge(ctx, p.svc.clock.Now())
	if err != nil {
		if ctx.Err() == nil && !p.pace.Unavailable(err) {
			p.log.Error("purge expired idempotency keys", zap.Int("purged", n), zap.Error(err))
		}
		return
	}
	if n > 0 {
		p.log.Info("purged expired idempotency keys", zap.Int("purged", n))
	}
}
