package cache

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the cache shared by every node. Every key is stored under the configured prefix, so one
// Redis can serve several installations.
type Redis struct {
	client *redis.Client
	prefix string
}

// NewRedisClient connects to url and checks it answers. cleanup closes the client.
func NewRedisClient(url string) (*redis.Client, func(), error) {
	client, cleanup, err := OpenRedisClient(url)
	if err != nil {
		return nil, nil, err
	}
	if err := PingRedis(client, 5*time.Second); err != nil {
		cleanup()
		return nil, nil, err
	}
	return client, cleanup, nil
}

// OpenRedisClient makes a client of url without contacting the server (it connects on first use).
// A call's context deadline bounds its socket reads and writes too (by default go-redis would wait
// for its own 3 s read timeout): that is what makes the guards' short per-call timeouts real.
func OpenRedisClient(url string) (*redis.Client, func(), error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, nil, fmt.Errorf("redis: parse url: %w", err)
	}
	opts.ContextTimeoutEnabled = true
	client := redis.NewClient(opts)
	return client, func() { _ = client.Close() }, nil
}

// PingRedis checks the server answers within timeout.
func PingRedis(client *redis.Client, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: ping %s: %w", client.Options().Addr, err)
	}
	return nil
}

// NewRedis returns the cache on client with keys under prefix.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// Get returns a cached value.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := r.client.Get(ctx, r.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("redis get: %w", err)
	}
	return v, true, nil
}

// Set caches a value for ttl.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := r.client.Set(ctx, r.prefix+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("redis set: %w", err)
	}
	return nil
}

// Delete removes entries.
func (r *Redis) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	prefixed := make([]string, len(keys))
	for i, k := range keys {
		prefixed[i] = r.prefix + k
	}
	if err := r.client.Del(ctx, prefixed...).Err(); err != nil {
		return fmt.Errorf("redis del: %w", err)
	}
	return nil
}

// Incr increments a counter.
func (r *Redis) Incr(ctx context.Context, key string) (int64, error) {
	n, err := r.client.Incr(ctx, r.prefix+key).Result()
	if err != nil {
		return 0, fmt.Errorf("redis incr: %w", err)
	}
	return n, nil
}

// raiseScript sets KEYS[1] to ARGV[1] unless it holds a larger number. Both are decimal integers
// without leading zeros, compared by length and then as text: exact over the whole int64 range,
// where Lua's numbers (doubles) would not be.
var raiseScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if (not cur) or #cur < #ARGV[1] or (#cur == #ARGV[1] and cur < ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
return 0`)

// Raise sets a counter to value unless it holds more, atomically (one script run).
func (r *Redis) Raise(ctx context.Context, key string, value int64) error {
	if value < 0 {
		return fmt.Errorf("redis raise: negative value %d", value)
	}
	if err := raiseScript.Run(ctx, r.client, []string{r.prefix + key}, strconv.FormatInt(value, 10)).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redis raise: %w", err)
	}
	return nil
}

// Counter reads a counter.
func (r *Redis) Counter(ctx context.Context, key string) (int64, error) {
	n, err := r.client.Get(ctx, r.prefix+key).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("redis get counter: %w", err)
	}
	return n, nil
}
