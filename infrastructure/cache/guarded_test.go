package cache_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/cache/testredis"
)

// countingMetrics counts the failures a breaker reports.
type countingMetrics struct {
	mu      sync.Mutex
	reasons map[string]int
}

func (m *countingMetrics) StateChanged(breaker.State) {}

func (m *countingMetrics) CallFailed(_, reason string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.reasons == nil {
		m.reasons = map[string]int{}
	}
	m.reasons[reason]++
}

func newBreaker(t *testing.T, timeout time.Duration, failures int, cooldown time.Duration) *breaker.Breaker {
	return breaker.New("cache", breaker.Settings{Timeout: timeout, Failures: failures, Cooldown: cooldown}, &countingMetrics{}, zaptest.NewLogger(t))
}

// The timings asserted are coarse on purpose (several times the timeout): test machines are noisy.
const (
	callTimeout = 100 * time.Millisecond
	cooldown    = 300 * time.Millisecond
)

// TestGuardedRedisDegradesFastAndRecovers runs the guarded cache on the real Redis through a proxy
// that freezes like a stopped server, then refuses connections like a dead one: calls fail within
// about one timeout, the breaker opens after two failures and calls fail at once, and once Redis
// answers again the breaker closes by itself and caching works.
func TestGuardedRedisDegradesFastAndRecovers(t *testing.T) {
	t.Parallel()
	faults := map[string]struct {
		fail, heal func(t *testing.T, p *testredis.Proxy)
	}{
		"frozen":  {func(_ *testing.T, p *testredis.Proxy) { p.Freeze() }, func(_ *testing.T, p *testredis.Proxy) { p.Resume() }},
		"refused": {func(_ *testing.T, p *testredis.Proxy) { p.Refuse() }, func(t *testing.T, p *testredis.Proxy) { p.Accept(t) }},
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, prefix := testredis.Client(t) // removes the test's keys at the end
			proxy, url := testredis.NewProxy(t)
			client, closeClient, err := cache.NewRedisClient(url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(closeClient)
			metrics := &countingMetrics{}
			b := breaker.New("cache", breaker.Settings{Timeout: callTimeout, Failures: 2, Cooldown: cooldown}, metrics, zaptest.NewLogger(t))
			c := cache.NewGuarded(cache.NewRedis(client, prefix), b)
			ctx := context.Background()
			if err := c.Set(ctx, "a", []byte("1"), time.Minute); err != nil {
				t.Fatal(err)
			}

			fault.fail(t, proxy)
			start := time.Now()
			if _, _, err := c.Get(ctx, "a"); err == nil {
				t.Fatal("get through a failed Redis succeeded")
			}
			if _, err := c.Incr(ctx, "gen"); err == nil {
				t.Fatal("incr through a failed Redis succeeded")
			}
			if elapsed := time.Since(start); elapsed > 10*callTimeout {
				t.Errorf("two failing calls took %s, want about two timeouts (%s) at most", elapsed, callTimeout)
			}
			if b.State() != breaker.Open {
				t.Fatalf("after two failures the breaker is %s, want open", b.State())
			}
			start = time.Now()
			for range 50 {
				if err := c.Delete(ctx, "a"); !errors.Is(err, breaker.ErrOpen) {
					t.Fatalf("delete while open: %v, want ErrOpen", err)
				}
			}
			if elapsed := time.Since(start); elapsed > callTimeout {
				t.Errorf("50 calls while open took %s: they should not wait at all", elapsed)
			}

			fault.heal(t, proxy)
			deadline := time.Now().Add(10 * time.Second)
			for {
				v, ok, err := c.Get(ctx, "a")
				if err == nil {
					if !ok || string(v) != "1" {
						t.Fatalf("after recovery: %q %v, want the cached value", v, ok)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the breaker did not recover within 10s: %v", err)
				}
				time.Sleep(cooldown / 3)
			}
			if b.State() != breaker.Closed {
				t.Fatalf("after a good call the breaker is %s, want closed", b.State())
			}
			if n, err := c.Incr(ctx, "gen"); err != nil || n < 1 {
				t.Fatalf("incr after recovery: %d %v", n, err)
			}
			metrics.mu.Lock()
			defer metrics.mu.Unlock()
			if metrics.reasons[breaker.ReasonOpen] < 50 || metrics.reasons[breaker.ReasonTimeout]+metrics.reasons[breaker.ReasonError] < 2 {
				t.Errorf("failures counted %v, want the 2 failed calls and the 50 refused by the open breaker", metrics.reasons)
			}
		})
	}
}
