//go:build wireinject

package main

import (
	"github.com/google/wire"
	"go.uber.org/zap"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/application/providers"
	"github.com/inkwell-cms/inkwell/application/seed"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/infrastructure"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	articlehttp "github.com/inkwell-cms/inkwell/interfaces/http/article"
	identityhttp "github.com/inkwell-cms/inkwell/interfaces/http/identity"
	"github.com/inkwell-cms/inkwell/interfaces/http/middleware"
	"github.com/inkwell-cms/inkwell/interfaces/http/ops"
	taghttp "github.com/inkwell-cms/inkwell/interfaces/http/tag"
	webhookhttp "github.com/inkwell-cms/inkwell/interfaces/http/webhook"
)

// newApp builds everything serve needs.
func newApp(cfg *config.Config, log *zap.Logger) (*App, func(), error) {
	wire.Build(
		infrastructure.ConfigSet,
		infrastructure.PersistenceSet,
		infrastructure.SystemSet,
		infrastructure.BackendSet,
		infrastructure.WebhookSet,
		infrastructure.IdempotencySet,
		providers.Set,
		infrastructure.IdentitySet,
		infrastructure.ContentSet,
		httpapi.ProviderSet,
		identityhttp.NewHandler,
		webhookhttp.NewHandler,
		articlehttp.NewHandler,
		taghttp.NewHandler,
		schedulerInterval,
		trashRetention,
		// The ports the HTTP layer declares, bound to their implementations.
		wire.Bind(new(ops.Pinger), new(*persistence.DB)),
		wire.Bind(new(middleware.HTTPMetrics), new(*metrics.Registry)),
		wire.Bind(new(middleware.IdempotencyService), new(*idempotency.Service)),
		wire.Bind(new(middleware.TokenAuthenticator), new(*identityapp.Service)),
		// The ports the application declares that the HTTP layer implements: events carry the API's shapes.
		articlehttp.NewEventShapes,
		wire.Bind(new(articleapp.EventShapes), new(*articlehttp.EventShapes)),
		taghttp.NewEventShapes,
		wire.Bind(new(tagapp.EventShapes), new(*taghttp.EventShapes)),
		httpOptions,
		httpModules,
		newHTTPServer,
		backgroundWorkers,
		wire.Struct(new(App), "*"),
	)
	return nil, nil, nil
}

// newMigrator builds what the migrate command needs: the database and its migrations.
func newMigrator(cfg *config.Config, log *zap.Logger) (*persistence.Migrator, func(), error) {
	wire.Build(
		infrastructure.ConfigSet,
		infrastructure.PersistenceSet,
	)
	return nil, nil, nil
}

// newAdminCLI builds what the user and token commands need, without the HTTP server.
func newAdminCLI(cfg *config.Config, log *zap.Logger) (*adminCLI, func(), error) {
	wire.Build(
		infrastructure.ConfigSet,
		infrastructure.PersistenceSet,
		infrastructure.SystemSet,
		infrastructure.IdentitySet,
		// The cache's generation retires the principals servers reuse when a command revokes a token.
		infrastructure.BackendSet,
		infrastructure.ProvideCacheAside,
		identityapp.NewService,
		wire.Struct(new(adminCLI), "*"),
	)
	return nil, nil, nil
}

// newSeeder builds what the seed command needs.
func newSeeder(cfg *config.Config, log *zap.Logger) (*seeder, func(), error) {
	wire.Build(
		infrastructure.ConfigSet,
		infrastructure.PersistenceSet,
		infrastructure.SystemSet,
		infrastructure.SeedSet,
		seed.NewService,
		wire.Struct(new(seeder), "*"),
	)
	return nil, nil, nil
}
