// Package infrastructure groups the adapters' wire provider sets.
package infrastructure

import (
	"github.com/google/wire"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/application/seed"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/apitoken"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	webhookinfra "github.com/inkwell-cms/inkwell/infrastructure/webhook"
)

// ConfigSet splits the configuration into the sections providers ask for.
var ConfigSet = wire.NewSet(
	wire.FieldsOf(new(*config.Config), "HTTP", "Database", "Log", "Redis", "Cache", "Admin", "Content", "Markdown", "Webhook",
		"RateLimit", "Identity", "Metrics", "Site", "Preview"),
)

// PersistenceSet opens the database and provides the transaction manager and migrator.
var PersistenceSet = wire.NewSet(
	persistence.Open,
	persistence.NewMigrator,
	persistence.NewTxManager,
	wire.Bind(new(application.TxManager), new(*persistence.TxManager)),
	persistence.NewLocker,
	wire.Bind(new(application.Locker), new(*persistence.Locker)),
	persistence.NewReplicas,
	wire.Bind(new(application.ReadReplicas), new(*persistence.Replicas)),
)

// IdentitySet is the identity context's repositories and its token secret generator.
var IdentitySet = wire.NewSet(
	persistence.NewUserRepository,
	wire.Bind(new(identity.UserRepository), new(*persistence.UserRepository)),
	persistence.NewTokenRepository,
	wire.Bind(new(identity.TokenRepository), new(*persistence.TokenRepository)),
	wire.Bind(new(identityapp.Credentials), new(*persistence.TokenRepository)),
	IdentityPrincipalCache,
	apitoken.NewGenerator,
	wire.Bind(new(identityapp.SecretGenerator), new(apitoken.Generator)),
	IdentityLimits,
	persistence.NewAuthorActivity,
	wire.Bind(new(identityapp.PublishedAuthors), new(*persistence.AuthorActivity)),
)

// IdentityPrincipalCache maps identity.principal_cache_ttl to the identity service's cache of
// authenticated principals.
func IdentityPrincipalCache(cfg config.Identity) identityapp.PrincipalCache {
	return identityapp.PrincipalCache{TTL: cfg.PrincipalCacheTTL}
}

// IdentityLimits maps identity.max_active_tokens to the identity service's limits.
func IdentityLimits(cfg config.Identity) identityapp.Limits {
	return identityapp.Limits{MaxActiveTokens: cfg.MaxActiveTokens}
}

// IdempotencySet stores Idempotency-Key responses in the database.
var IdempotencySet = wire.NewSet(
	persistence.NewIdempotencyStore,
	wire.Bind(new(idempotency.Store), new(*persistence.IdempotencyStore)),
)

// BackendSet is the optional Redis and what depends on it: the cache and the rate limiter, each
// guarded by a timeout and a circuit breaker, and their metrics.
var BackendSet = wire.NewSet(ProvideRedis, ProvideCache, ProvideRateLimiter, metrics.NewBackendMetrics)

// SystemSet is the clock, id generation and metrics.
var SystemSet = wire.NewSet(
	clock.NewSystem,
	wire.Bind(new(application.Clock), new(clock.System)),
	clock.NewUUIDv7,
	wire.Bind(new(application.IDGenerator), new(clock.UUIDv7)),
	metrics.New,
	ProvideWorkerBackoff,
)

// ProvideWorkerBackoff is how the background workers wait while the database is unavailable, with
// their back-offs counted in the metrics.
func ProvideWorkerBackoff(r *metrics.Registry) worker.Backoff {
	b := worker.DefaultBackoff
	b.Metrics = metrics.NewWorkerMetrics(r)
	return b
}

// WebhookSet is the outbox, the webhook repositories and the delivery adapters.
var WebhookSet = wire.NewSet(
	persistence.NewOutbox,
	wire.Bind(new(application.Outbox), new(*persistence.Outbox)),
	wire.Bind(new(webhookapp.EventSource), new(*persistence.Outbox)),
	// The outbox is also the record of the cache invalidations writes need (content.Invalidator).
	wire.Bind(new(content.InvalidationLog), new(*persistence.Outbox)),
	persistence.NewWebhookEndpoints,
	wire.Bind(new(webhook.EndpointRepository), new(*persistence.WebhookEndpoints)),
	persistence.NewWebhookDeliveries,
	wire.Bind(new(webhook.DeliveryRepository), new(*persistence.WebhookDeliveries)),
	wire.Bind(new(webhookapp.DeliveryQueue), new(*persistence.WebhookDeliveries)),
	webhookinfra.NewGuard,
	wire.Bind(new(webhookapp.URLGuard), new(*webhookinfra.Guard)),
	webhookinfra.NewSender,
	wire.Bind(new(webhookapp.Sender), new(*webhookinfra.Sender)),
	metrics.NewWebhookMetrics,
	wire.Bind(new(webhookapp.Metrics), new(*metrics.WebhookMetrics)),
	webhookinfra.RelayConfig,
)

// ContentSet is the content contexts' repositories, read models, Markdown renderer, the cache-aside
// reader of public content, the invalidation worker's settings and metrics (its log is the outbox,
// bound in WebhookSet), and the
// scheduler's metrics.
var ContentSet = wire.NewSet(
	persistence.NewArticleRepository,
	wire.Bind(new(article.Repository), new(*persistence.ArticleRepository)),
	persistence.NewTagRepository,
	wire.Bind(new(tag.Repository), new(*persistence.TagRepository)),
	persistence.NewArticleReadModel,
	wire.Bind(new(articleapp.ReadModel), new(*persistence.ArticleReadModel)),
	persistence.NewTagReadModel,
	wire.Bind(new(tagapp.ReadModel), new(*persistence.TagReadModel)),
	RendererSet,
	ProvideCacheAside,
	ProvideInvalidatorConfig,
	metrics.NewInvalidationMetrics,
	wire.Bind(new(content.InvalidationMetrics), new(*metrics.InvalidationMetrics)),
	metrics.NewSchedulerMetrics,
	wire.Bind(new(articleapp.SchedulerMetrics), new(*metrics.SchedulerMetrics)),
	persistence.NewPreviewTokens,
	ProvidePreviews,
)

// ProvidePreviews is what the article service's preview use cases need: the preview token
// repository, the token generator API tokens use (with the preview prefix), preview.token_ttl,
// preview.max_token_ttl and site.preview_url.
func ProvidePreviews(tokens *persistence.PreviewTokens, secrets apitoken.Generator, cfg config.Preview, site config.Site) articleapp.Previews {
	return articleapp.Previews{
		Tokens: tokens, Secrets: secrets,
		Settings: articleapp.PreviewSettings{TokenTTL: cfg.TokenTTL, MaxTokenTTL: cfg.MaxTokenTTL, URLTemplate: site.PreviewURL},
	}
}

// ProvideCacheAside reads public content through the configured cache (cache.enabled, cache.ttl,
// cache.double_delete_delay).
// Its loads may read from the database's replicas (database.replica_urls) when they are fresh enough.
// The cleanup waits for the second deletes still scheduled.
func ProvideCacheAside(c application.Cache, cfg config.Cache, rcfg config.Redis, replicas application.ReadReplicas, log *zap.Logger) (*cacheaside.Aside, func()) {
	a := cacheaside.New(c, cacheaside.Options{Enabled: cfg.Enabled, TTL: cfg.TTL, DoubleDeleteDelay: cfg.DoubleDeleteDelay,
		Shared: rcfg.URL != ""}, log).UseReplicas(replicas)
	return a, a.Close
}

// ProvideInvalidatorConfig tunes the invalidation worker (cache.invalidation_retry_interval).
func ProvideInvalidatorConfig(cfg config.Cache) content.InvalidatorConfig {
	return content.InvalidatorConfig{Interval: cfg.InvalidationRetry}
}

// ProvideRenderer builds the renderer with the configured limits.
func ProvideRenderer(cfg config.Markdown) *markdown.Renderer {
	return markdown.NewRenderer(markdown.Limits{
		MaxBytes: cfg.MaxBodyBytes, MaxNesting: cfg.MaxNesting, MaxUnclosedLinks: cfg.MaxUnclosedLinks,
		MaxTableCells: cfg.MaxTableCells, MaxHTMLBytes: cfg.MaxHTMLBytes, Timeout: cfg.RenderTimeout,
	})
}

// RendererSet renders article bodies: Markdown (CommonMark + GFM) to sanitized HTML.
var RendererSet = wire.NewSet(
	ProvideRenderer,
	wire.Bind(new(article.Renderer), new(*markdown.Renderer)),
)

// SeedSet is the bulk writer and the renderer the seed command builds content with.
var SeedSet = wire.NewSet(
	persistence.NewSeedStore,
	wire.Bind(new(seed.Store), new(*persistence.SeedStore)),
	RendererSet,
)
