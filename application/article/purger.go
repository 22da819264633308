package article

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/worker"
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
	log       *zap.Logger
	pace      *worker.Pacer
}

// NewTrashPurger returns the trash purge worker; Run starts it.
func NewTrashPurger(articles article.Repository, tx application.TxManager, clock application.Clock,
	retention time.Duration, backoff worker.Backoff, log *zap.Logger,
) *TrashPurger {
	p := &TrashPurger{
		articles: articles, tx: tx, clock: clock, retention: retention, log: log.Named("trash_purger"),
	}
	p.pace = backoff.Pacer("trash-purger", purgeInterval, p.log)
	return p
}

// Run purges at once and then every hour until ctx is done, then returns nil. A failure is logged
// here, the worker's boundary, and the next tick tries again; a purge the database was unavailable
// for is retried after a back-off, not an hour later.
func (p *TrashPurger) Run(ctx context.Context) error {
	for {
		if n, err := p.Purge(ctx); err != nil {
			if ctx.Err() == nil && !p.pace.Unavailable(err) {
				p.log.Error("purge trash", zap.Error(err))
			}
		} else if n > 0 {
			p.log.Info("purged trashed articles", zap.Int("purged", n), zap.Duration("retention", p.retention))
		}
		if !p.pace.Wait(ctx) {
			return nil
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
