package infrastructure

import (
	"github.com/redis/go-redis/v9"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/limiter"
)

// ProvideRedis connects to Redis when redis.url is set; otherwise it returns a nil client and the
// cache and rate limiter stay in process (a single node).
func ProvideRedis(cfg config.Redis) (*redis.Client, func(), error) {
	if cfg.URL == "" {
		return nil, func() {}, nil
	}
	return cache.NewRedisClient(cfg.URL)
}

// ProvideCache picks the shared Redis cache when there is a client, else the in-process one.
func ProvideCache(client *redis.Client, cfg config.Cache) application.Cache {
	if client != nil {
		return cache.NewRedis(client, cfg.Prefix)
	}
	return cache.NewMemory(cfg.MaxEntries, cfg.TTL)
}

// ProvideRateLimiter picks the limiter shared through Redis when there is a client, else the
// in-process one.
func ProvideRateLimiter(client *redis.Client, cfg config.Cache) ratelimit.Limiter {
	if client != nil {
		return limiter.NewRedis(client, cfg.Prefix)
	}
	return limiter.NewMemory()
}
