package article

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// purgeInterval is how often the trash is emptied of what outlived the retention.
const purgeInterval = time.Hour

// TrashPurger deletes articles that have been in the trash longer than the retention, with their
// revisions. It runs in every node; the delete is idempotent, so nodes purging at once only share
// the work. A trashed article is invisible to the public, so no cache entry needs invalidating.
type TrashPurger struct {
	articles  article.Repository
	tx        application.TxManager
	clock     application.Clock
	retention time.Duration
	interval  time.Duration
	log       *zap.Logger
}

// NewTrashPurger returns the trash purge worker; Run starts it.
func NewTrashPurger(articles article.Repository, tx application.TxManager, clock application.Clock,
	retention time.Duration, log *zap.Logger,
) *TrashPurger {
	return &TrashPurger{
		articles: articles, tx: tx, clock: clock, retention: retention, interval: purgeInterval,
		log: log.Named("trash_purger"),
	}
}

// Run purges at once and then every hour until ctx is done, then returns nil. A failure is logged
// here, the worker's boundary, and the next tick tries again.
func (p *TrashPurger) Run(ctx context.Context) error {
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		if n, err := p.Purge(ctx); err != nil {
			if ctx.Err() == nil {
				p.log.Error("purge trash", zap.Error(err))
			}
		} else if n > 0 {
			p.log.Info("purged trashed articles", zap.Int("purged", n), zap.Duration("retention", p.retention))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Purge deletes the articles trashed before now minus the retention and says how many.
func (p *TrashPurger) Purge(ctx context.Context) (int, error) {
	if p.retention <= 0 {
		return 0, fmt.Errorf("trash purger: retention must be positive, got %s", p.retention)
	}
	var n int
	err := p.tx.Do(ctx, func(ctx context.Context) error {
		var err error
		n, err = p.articles.PurgeTrashedBefore(ctx, p.clock.Now().Add(-p.retention))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("trash purger: %w", err)
	}
	return n, nil
}
