package cache_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
)

// backends runs the contract on every Cache implementation.
func backends(t *testing.T, fn func(t *testing.T, c application.Cache)) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		fn(t, cache.NewMemory(100, time.Minute))
	})
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		client, prefix := testredis.Client(t)
		fn(t, cache.NewRedis(client, prefix))
	})
	t.Run("guarded redis", func(t *testing.T) {
		t.Parallel()
		client, prefix := testredis.Client(t)
		fn(t, cache.NewGuarded(cache.NewRedis(client, prefix), newBreaker(t, time.Second, 1, time.Second)))
	})
}

func TestCacheContract(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, c application.Cache) {
		ctx := context.Background()
		if _, ok, err := c.Get(ctx, "a"); ok || err != nil {
			t.Fatalf("empty cache: ok=%v err=%v", ok, err)
		}
		if err := c.Set(ctx, "a", []byte("1"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if v, ok, err := c.Get(ctx, "a"); !ok || err != nil || string(v) != "1" {
			t.Fatalf("get after set: %q %v %v", v, ok, err)
		}
		if err := c.Set(ctx, "b", []byte("2"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := c.Delete(ctx, "a", "b", "never-set"); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := c.Get(ctx, "a"); ok {
			t.Fatal("deleted entry still cached")
		}
		if n, err := c.Counter(ctx, "gen"); n != 0 || err != nil {
			t.Fatalf("absent counter: %d %v", n, err)
		}
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = c.Incr(ctx, "gen") }()
		}
		wg.Wait()
		if n, err := c.Counter(ctx, "gen"); n != 20 || err != nil {
			t.Fatalf("20 concurrent increments gave %d %v", n, err)
		}
		// Raise keeps the largest value, whatever the order (and the digits: 9 < 10 < 1<<62).
		for _, v := range []int64{10, 9, 1 << 62, 99, 0} {
			wg.Add(1)
			go func() { defer wg.Done(); _ = c.Raise(ctx, "pos", v) }()
		}
		wg.Wait()
		if n, err := c.Counter(ctx, "pos"); n != 1<<62 || err != nil {
			t.Fatalf("raised position is %d %v, want %d", n, err, int64(1<<62))
		}
	})
}

func TestMemoryCacheIsBounded(t *testing.T) {
	t.Parallel()
	c := cache.NewMemory(2, time.Minute)
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		_ = c.Set(ctx, k, []byte(k), time.Minute)
	}
	if _, ok, _ := c.Get(ctx, "a"); ok {
		t.Fatal("least recently used entry survived past the bound")
	}
}

func TestRedisKeysCarryThePrefix(t *testing.T) {
	t.Parallel()
	client, prefix := testredis.Client(t)
	c := cache.NewRedis(client, prefix)
	if err := c.Set(context.Background(), "k", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, err := client.Get(context.Background(), prefix+"k").Result(); err != nil || v != "v" {
		t.Fatalf("raw key %sk: %q %v", prefix, v, err)
	}
}
