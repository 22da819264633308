package limiter_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
	"github.com/inkwell-cms/inkwell/infrastructure/limiter"
)

// failOpenCount counts the calls the limiter could not decide (the requests let through).
type failOpenCount struct{ n atomic.Int32 }

func (f *failOpenCount) StateChanged(breaker.State) {}
func (f *failOpenCount) CallFailed(string, string)  { f.n.Add(1) }

// TestGuardedRedisLimiterFailsOpenFastAndRecovers freezes the real Redis behind a proxy: Take
// answers "cannot decide" within about one timeout, then at once; the outage is logged once, not
// per request, and counted per request; after the proxy resumes the limiter limits again.
func TestGuardedRedisLimiterFailsOpenFastAndRecovers(t *testing.T) {
	t.Parallel()
	const timeout, cooldown = 100 * time.Millisecond, 300 * time.Millisecond
	_, prefix := testredis.Client(t)
	proxy, url := testredis.NewProxy(t)
	client, closeClient, err := cache.NewRedisClient(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeClient)
	core, logs := observer.New(zapcore.InfoLevel)
	count := &failOpenCount{}
	b := breaker.New("ratelimit", breaker.Settings{Timeout: timeout, Failures: 1, Cooldown: cooldown}, count, zap.New(core))
	l := limiter.NewGuarded(limiter.NewRedis(client, prefix), b)
	ctx := context.Background()
	q := ratelimit.Quota{RPS: 0.5, Burst: 2}
	if d, err := l.Take(ctx, "k", q); err != nil || !d.Allowed {
		t.Fatalf("first take: %+v %v", d, err)
	}

	proxy.Freeze()
	start := time.Now()
	if _, err := l.Take(ctx, "k", q); err == nil {
		t.Fatal("take through a frozen Redis succeeded")
	}
	if elapsed := time.Since(start); elapsed > 10*timeout {
		t.Errorf("take through a frozen Redis took %s, want about %s", elapsed, timeout)
	}
	start = time.Now()
	for range 100 {
		if _, err := l.Take(ctx, "k", q); !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("take while open: %v, want ErrOpen", err)
		}
	}
	if elapsed := time.Since(start); elapsed > timeout {
		t.Errorf("100 takes while open took %s: they should not wait", elapsed)
	}
	if n := count.n.Load(); n != 101 {
		t.Errorf("%d requests counted as let through, want 101", n)
	}
	if n := logs.FilterLevelExact(zapcore.WarnLevel).Len(); n != 1 {
		t.Errorf("%d warnings for one outage of 101 requests, want 1", n)
	}

	proxy.Resume()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The take held by the freeze may have run on resume, as on a real server: the bucket's
		// state is not asserted here, only that it limits again.
		if _, err := l.Take(ctx, "k", q); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the limiter did not recover within 10s: %v", err)
		}
		time.Sleep(cooldown / 3)
	}
	if d, err := l.Take(ctx, "k", q); err != nil || d.Allowed {
		t.Fatalf("after recovery the limiter does not limit: %+v %v", d, err)
	}
	if n := logs.FilterMessageSnippet("recovered").Len(); n != 1 {
		t.Errorf("%d recovery lines, want 1", n)
	}
}
