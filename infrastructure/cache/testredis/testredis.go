// Package testredis gives tests a Redis client and a key prefix of their own, from
// INKWELL_TEST_REDIS_URL. Without it the test skips, or fails under CI=true.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/inkwell-cms/inkwell/infrastructure/cache"
)

// URLEnv names the variable holding the test Redis URL.
const URLEnv = "INKWELL_TEST_REDIS_URL"

// URL returns the test Redis URL, skipping (or failing in CI) when there is none.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(URLEnv)
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set but CI=true: the Redis tests must run in CI", URLEnv)
		}
		t.Skipf("Redis tests skipped: set %s (make test does when a local server answers)", URLEnv)
	}
	return url
}

// Client connects to the test Redis and returns a unique key prefix; the prefix's keys are removed
// when the test ends.
func Client(t testing.TB) (*redis.Client, string) {
	t.Helper()
	client, cleanup, err := cache.NewRedisClient(URL(t))
	if err != nil {
		t.Fatalf("test Redis at %s: %v", URLEnv, err)
	}
	prefix := Prefix()
	t.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
		cleanup()
	})
	return client, prefix
}

// Prefix returns a fresh key prefix so parallel tests never share keys.
func Prefix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "inkwell-test:" + hex.EncodeToString(b) + ":"
}
