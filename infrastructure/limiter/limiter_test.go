package limiter_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/limiter"
)

func backends(t *testing.T, fn func(t *testing.T, l ratelimit.Limiter)) {
	t.Run("memory", func(t *testing.T) { t.Parallel(); fn(t, limiter.NewMemory()) })
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		client, prefix := testredis.Client(t)
		fn(t, limiter.NewRedis(client, prefix))
	})
	t.Run("guarded redis", func(t *testing.T) {
		t.Parallel()
		client, prefix := testredis.Client(t)
		b := breaker.New("ratelimit", breaker.Settings{Timeout: time.Second, Failures: 1, Cooldown: time.Second}, &failOpenCount{}, zaptest.NewLogger(t))
		fn(t, limiter.NewGuarded(limiter.NewRedis(client, prefix), b))
	})
}

func TestLimiterContract(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, l ratelimit.Limiter) {
		ctx := context.Background()
		q := ratelimit.Quota{RPS: 0.5, Burst: 3} // slow refill: the test cannot earn a token back
		for i := range 3 {
			d, err := l.Take(ctx, "a", q)
			if err != nil || !d.Allowed {
				t.Fatalf("request %d within the burst refused: %+v %v", i+1, d, err)
			}
			if d.Remaining != 2-i {
				t.Errorf("request %d: remaining %d, want %d", i+1, d.Remaining, 2-i)
			}
		}
		d, err := l.Take(ctx, "a", q)
		if err != nil || d.Allowed {
			t.Fatalf("request over the burst allowed: %+v %v", d, err)
		}
		if d.RetryAfter <= 0 || d.RetryAfter > 2_100_000_000 {
			t.Errorf("retry after %s, want about 2s", d.RetryAfter)
		}
		if d.ResetAfter <= 0 {
			t.Errorf("reset after %s, want > 0", d.ResetAfter)
		}
		if d, err := l.Take(ctx, "b", q); err != nil || !d.Allowed {
			t.Fatalf("another key is limited by the first: %+v %v", d, err)
		}
	})
}
