// Package limiter implements the HTTP layer's token-bucket limiter in process (golang.org/x/time/rate,
// one bucket per key in a bounded LRU) and on Redis (GCRA via redis_rate, shared by every node).
package limiter

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/inkwell-cms/inkwell/application/ratelimit"
)

// maxTrackedKeys bounds the memory of the in-process limiter; a key idle for idleTTL is forgotten
// (its bucket would be full again by then anyway for any sane quota).
const (
	maxTrackedKeys = 100_000
	idleTTL        = 10 * time.Minute
)

// Memory is the in-process limiter of a single node.
type Memory struct {
	mu      sync.Mutex
	buckets *expirable.LRU[string, *rate.Limiter]
}

// NewMemory returns an in-process limiter.
func NewMemory() *Memory {
	return &Memory{buckets: expirable.NewLRU[string, *rate.Limiter](maxTrackedKeys, nil, idleTTL)}
}

// Take takes a token from key's bucket.
func (m *Memory) Take(_ context.Context, key string, q ratelimit.Quota) (ratelimit.Decision, error) {
	m.mu.Lock()
	lim, ok := m.buckets.Get(key)
	if !ok || lim.Limit() != rate.Limit(q.RPS) || lim.Burst() != q.Burst {
		lim = rate.NewLimiter(rate.Limit(q.RPS), q.Burst)
		m.buckets.Add(key, lim)
	}
	m.mu.Unlock()
	now := time.Now()
	allowed := lim.AllowN(now, 1)
	tokens := lim.TokensAt(now)
	d := ratelimit.Decision{
		Allowed:    allowed,
		Remaining:  int(math.Floor(tokens)),
		ResetAfter: secondsFor(float64(q.Burst)-tokens, q.RPS),
	}
	if !allowed {
		d.RetryAfter = secondsFor(1-tokens, q.RPS)
	}
	return d, nil
}

func secondsFor(tokens, rps float64) time.Duration {
	if tokens <= 0 || rps <= 0 {
		return 0
	}
	return time.Duration(tokens / rps * float64(time.Second))
}

// Redis is the limiter shared by every node through Redis.
type Redis struct {
	limiter *redis_rate.Limiter
	prefix  string
}

// NewRedis returns a Redis limiter with keys under prefix.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{limiter: redis_rate.NewLimiter(client), prefix: prefix + "ratelimit:"}
}

// Take takes a token from key's bucket in Redis.
func (r *Redis) Take(ctx context.Context, key string, q ratelimit.Quota) (ratelimit.Decision, error) {
	// GCRA emits one token every Period/Rate: scale so fractional rates are exact.
	limit := redis_rate.Limit{Rate: int(math.Round(q.RPS * 1000)), Burst: q.Burst, Period: 1000 * time.Second}
	res, err := r.limiter.Allow(ctx, r.prefix+key, limit)
	if err != nil {
		return ratelimit.Decision{}, fmt.Errorf("redis rate limit: %w", err)
	}
	return ratelimit.Decision{
		Allowed:    res.Allowed > 0,
		Remaining:  res.Remaining,
		RetryAfter: max(res.RetryAfter, 0),
		ResetAfter: max(res.ResetAfter, 0),
	}, nil
}
