package idempotency

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// Purger deletes expired records on an interval. It runs in every node; the deletes are idempotent,
// so nodes purging at once only share the work.
type Purger struct {
	svc      *Service
	interval time.Duration
	log      *zap.Logger
}

// NewPurger returns the purge worker of svc, which runs every Config.PurgeInterval; Run starts it.
func NewPurger(svc *Service, log *zap.Logger) *Purger {
	return &Purger{svc: svc, interval: svc.cfg.PurgeInterval, log: log.Named("idempotency_purger")}
}

// Run purges at once and then on every tick until ctx is done, then returns nil. A failure is logged
// here, the worker's boundary, and the next tick tries again.
func (p *Purger) Run(ctx context.Context) error {
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		p.purge(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

func (p *Purger) purge(ctx context.Context) {
	n, err := p.svc.Purge(ctx, p.svc.clock.Now())
	if err != nil {
		if ctx.Err() == nil {
			p.log.Error("purge expired idempotency keys", zap.Int("purged", n), zap.Error(err))
		}
		return
	}
	if n > 0 {
		p.log.Info("purged expired idempotency keys", zap.Int("purged", n))
	}
}
