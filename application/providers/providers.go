// Package providers is the wire provider set of the application layer: one constructor per service.
package providers

import (
	"time"

	"github.com/google/wire"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// Set builds every application service and worker.
var Set = wire.NewSet(
	identityapp.NewService,
	idempotency.NewService,
	idempotency.NewPurger,
	wire.Value(idempotency.Config{}),
	webhookapp.NewService,
	webhookapp.NewRelay,
	articleapp.NewService,
	tagapp.NewService,
	NewScheduler,
	NewTrashPurger,
	content.NewInvalidator,
)

// SchedulerInterval is how often the scheduled-publishing worker looks for due articles. The
// durations are named types so that wire can tell them apart.
type SchedulerInterval time.Duration

// TrashRetention is how long an article stays in the trash before it is purged.
type TrashRetention time.Duration

// NewScheduler is articleapp.NewScheduler with its interval named for wire.
func NewScheduler(svc *articleapp.Service, articles article.Repository, tx application.TxManager,
	clock application.Clock, interval SchedulerInterval, metrics articleapp.SchedulerMetrics, backoff worker.Backoff, log *zap.Logger,
) *articleapp.Scheduler {
	return articleapp.NewScheduler(svc, articles, tx, clock, time.Duration(interval), metrics, backoff, log)
}

// NewTrashPurger is articleapp.NewTrashPurger with its retention named for wire.
func NewTrashPurger(articles article.Repository, tx application.TxManager, clock application.Clock,
	retention TrashRetention, backoff worker.Backoff, log *zap.Logger,
) *articleapp.TrashPurger {
	return articleapp.NewTrashPurger(articles, tx, clock, time.Duration(retention), backoff, log)
}
