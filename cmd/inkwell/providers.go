package main

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/application/providers"
	"github.com/inkwell-cms/inkwell/application/ratelimit"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	articlehttp "github.com/inkwell-cms/inkwell/interfaces/http/article"
	identityhttp "github.com/inkwell-cms/inkwell/interfaces/http/identity"
	taghttp "github.com/inkwell-cms/inkwell/interfaces/http/tag"
	webhookhttp "github.com/inkwell-cms/inkwell/interfaces/http/webhook"
)

// App is the running service: what serve starts and stops.
type App struct {
	DB       *persistence.DB
	Migrator *persistence.Migrator
	Server   *http.Server
	Engine   *gin.Engine // the router inside Server (tests add routes to it)
	Metrics  *metrics.Registry
	Workers  []Worker
	Identity *identityapp.Service
}

// adminCLI is what the user and token commands need: the database's migrations and the identity
// use cases.
type adminCLI struct {
	Migrator *persistence.Migrator
	Identity *identityapp.Service
}

// Worker is a background loop every node runs (no leader: they share work through the database).
type Worker struct {
	Name string
	Run  func(ctx context.Context) error
}

// backgroundWorkers lists the loops serve starts after the listener and stops after it.
func backgroundWorkers(relay *webhookapp.Relay, idempotencyPurger *idempotency.Purger,
	scheduler *articleapp.Scheduler, trashPurger *articleapp.TrashPurger, invalidator *content.Invalidator,
) []Worker {
	return []Worker{
		{Name: "webhook-relay", Run: relay.Run},
		{Name: "idempotency-purger", Run: idempotencyPurger.Run},
		{Name: "scheduled-publisher", Run: scheduler.Run},
		{Name: "trash-purger", Run: trashPurger.Run},
		{Name: "cache-invalidator", Run: invalidator.Run},
	}
}

// schedulerInterval and trashRetention name content.scheduler_interval and content.trash_retention
// for the workers.
func schedulerInterval(cfg config.Content) providers.SchedulerInterval {
	return providers.SchedulerInterval(cfg.SchedulerInterval)
}

func trashRetention(cfg config.Content) providers.TrashRetention {
	return providers.TrashRetention(cfg.TrashRetention)
}

func httpOptions(cfg config.HTTP, log config.Log, limits config.RateLimit) httpapi.Options {
	return httpapi.Options{
		BodyLimit:      cfg.BodyLimit,
		AccessLog:      log.AccessLog,
		TrustedProxies: cfg.TrustedProxies,
		CORSOrigins:    cfg.CORSOrigins,
		PublicQuota:    ratelimit.Quota{RPS: limits.PublicRPS, Burst: limits.PublicBurst},
		UserQuota:      ratelimit.Quota{RPS: limits.TokenRPS, Burst: limits.TokenBurst},

		PublicMaxAge:               cfg.PublicMaxAge,
		PublicStaleWhileRevalidate: cfg.PublicStaleWhile,
		PublicStaleIfError:         cfg.PublicStaleIfError,
	}
}

// httpModules lists the bounded contexts' handlers in the order their routes are mounted.
func httpModules(identity *identityhttp.Handler, articles *articlehttp.Handler, tags *taghttp.Handler,
	webhooks *webhookhttp.Handler) []httpapi.Module {
	return []httpapi.Module{identity, articles, tags, webhooks}
}

func newHTTPServer(cfg config.HTTP, engine *gin.Engine) (*http.Server, error) {
	return httpapi.NewServer(cfg.Addr, engine, httpapi.Timeouts{
		ReadHeader: cfg.ReadHeaderTimeout, Read: cfg.ReadTimeout, Write: cfg.WriteTimeout, Idle: cfg.IdleTimeout,
	})
}
