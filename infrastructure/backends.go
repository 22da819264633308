package infrastructure

import (
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/limiter"
	"github.com/inkwell-cms/inkwell/infrastructure/metrics"
)

// ProvideRedis connects to Redis when redis.url is set; otherwise it returns a nil client and the
// cache and rate limiter stay in process (a single node). A Redis that does not answer at start-up
// does not stop the node: it is logged, and the guarded cache and limiter degrade until it answers.
func ProvideRedis(cfg config.Redis, log *zap.Logger) (*redis.Client, func(), error) {
	if cfg.URL == "" {
		return nil, func() {}, nil
	}
	client, cleanup, err := cache.OpenRedisClient(cfg.URL)
	if err != nil {
		return nil, nil, err
	}
	if err := cache.PingRedis(client, max(cfg.Timeout, time.Second)); err != nil {
		log.Warn("Redis does not answer at start-up: serving without the cache until it does", zap.Error(err))
	}
	return client, cleanup, nil
}

// ProvideCache picks the shared Redis cache when there is a client, else the in-process one. The
// Redis cache is guarded (redis.timeout, redis.breaker_*): with Redis slow or down, reads go to the
// database within one timeout, then at once.
func ProvideCache(client *redis.Client, cfg config.Cache, rcfg config.Redis, m *metrics.BackendMetrics, log *zap.Logger) application.Cache {
	if client == nil {
		return cache.NewMemory(cfg.MaxEntries, cfg.TTL)
	}
	b := breaker.New("cache", breakerSettings(rcfg, "public reads are served from the database"), m.Cache(), log)
	return cache.NewGuarded(cache.NewRedis(client, cfg.Prefix), b)
}

// ProvideRateLimiter picks the limiter shared through Redis when there is a client, else the
// in-process one. The Redis limiter is guarded like the cache and fails open.
func ProvideRateLimiter(client *redis.Client, cfg config.Cache, rcfg config.Redis, m *metrics.BackendMetrics, log *zap.Logger) ratelimit.Limiter {
	if client == nil {
		return limiter.NewMemory()
	}
	b := breaker.New("ratelimit", breakerSettings(rcfg, "requests are let through unlimited (fail open)"), m.RateLimit(), log)
	return limiter.NewGuarded(limiter.NewRedis(client, cfg.Prefix), b)
}

func breakerSettings(cfg config.Redis, degraded string) breaker.Settings {
	return breaker.Settings{Timeout: cfg.Timeout, Failures: cfg.BreakerFailures, Cooldown: cfg.BreakerCooldown, Degraded: degraded}
}
