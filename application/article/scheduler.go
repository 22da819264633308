package article

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// SchedulerMetrics is what the scheduler reports.
type SchedulerMetrics interface {
	// ScheduledPublished counts articles the scheduler published (n > 0).
	ScheduledPublished(n int)
}

// schedulerBatch is how many due articles one claim takes.
const schedulerBatch = 50

// Scheduler publishes scheduled articles whose time has come. It runs in every node with no leader:
// each claim skips the rows another node holds (FOR UPDATE SKIP LOCKED on PostgreSQL), and each
// publish saves with the version it loaded, so when two nodes do get the same article one save
// wins and the other finds it published or changed and leaves it.
type Scheduler struct {
	svc      *Service
	articles article.Repository
	tx       application.TxManager
	clock    application.Clock
	interval time.Duration
	metrics  SchedulerMetrics
	log      *zap.Logger
	pace     *worker.Pacer
}

// NewScheduler returns the scheduled-publishing worker; Run starts it.
func NewScheduler(svc *Service, articles article.Repository, tx application.TxManager, clock application.Clock,
	interval time.Duration, metrics SchedulerMetrics, backoff worker.Backoff, log *zap.Logger,
) *Scheduler {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	s := &Scheduler{
		svc: svc, articles: articles, tx: tx, clock: clock, interval: interval, metrics: metrics,
		log: log.Named("scheduler"),
	}
	s.pace = backoff.Pacer("scheduled-publisher", interval, s.log)
	return s
}

// Run publishes what is due at once (so articles that fell due while no node ran are published at
// start) and then on every tick until ctx is done, then returns nil. Failures are logged here, the
// worker's boundary, and retried on the next tick; while the database is unavailable the ticks back
// off.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		s.RunOnce(ctx)
		if !s.pace.Wait(ctx) {
			return nil
		}
	}
}

// RunOnce publishes every article due now and returns how many it published.
func (s *Scheduler) RunOnce(ctx context.Context) int {
	ctx = authz.WithPrincipal(ctx, authz.System)
	total := 0
	failed := map[string]bool{}
	for ctx.Err() == nil {
		ids, err := s.claim(ctx)
		if err != nil {
			if ctx.Err() == nil && !s.pace.Unavailable(err) {
				s.log.Error("claim due scheduled articles", zap.Error(err))
			}
			break
		}
		progress, unavailable := false, false
		for _, id := range ids {
			if failed[id] || unavailable {
				continue
			}
			published, err := s.publish(ctx, id)
			switch {
			case s.pace.Unavailable(err):
				unavailable = true // the next tick, after a back-off, tries again
			case err != nil && ctx.Err() == nil:
				failed[id] = true
				s.log.Error("publish scheduled article", zap.String("article_id", id), zap.Error(err))
			case published:
				total++
				progress = true
			}
		}
		// A short batch was the last one; a full batch of failures must not be claimed forever.
		if len(ids) < schedulerBatch || !progress {
			break
		}
	}
	if total > 0 {
		s.metrics.ScheduledPublished(total)
		s.log.Info("published scheduled articles", zap.Int("published", total))
	}
	return total
}

// claim returns the ids of the articles due now, oldest first.
func (s *Scheduler) claim(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		var err error
		now := s.clock.Now()
		if ids, err = s.articles.DueScheduled(ctx, now, schedulerBatch); err != nil {
			return err
		}
		// Articles whose pending changes are due: the same claim, in the same transaction.
		changes, err := s.articles.DueChanges(ctx, now, schedulerBatch)
		ids = append(ids, changes...)
		return err
	})
	return ids, err
}

// publish publishes one due article (or its due pending changes) in its own transaction, as a
// manual publish does (revision, article.published or article.updated, cache invalidation). It reports false without an error when another node got
// there first or someone changed the article since the claim: it is no longer scheduled, it was
// moved to a later time, it is gone, or its version moved under us.
func (s *Scheduler) publish(ctx context.Context, id string) (bool, error) {
	_, err := s.svc.change(ctx, articleChange{
		useCase: "publish scheduled article", id: id, action: "publish this article", policy: mayPublish,
		apply: func(_ context.Context, a *article.Article, now time.Time) (bool, error) {
			switch {
			case a.IsTrashed():
				return false, errAlreadyHandled
			case a.Status() == article.StatusScheduled:
				return true, a.PublishScheduled(now)
			case a.ChangesDue(now):
				return true, a.PublishScheduledChanges(now)
			}
			return false, errAlreadyHandled
		},
	}, false)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errAlreadyHandled), errors.Is(err, shared.ErrVersionConflict),
		errors.Is(err, shared.ErrInvalidTransition), errors.Is(err, article.ErrNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("scheduler: %w", err)
	}
}

// errAlreadyHandled stops a publish whose article another node published (or someone unscheduled,
// trashed or changed) since the claim; it rolls back a transaction that changed nothing.
var errAlreadyHandled = errors.New("the article is no longer scheduled")
