package webhook

import (
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

func TestJitterStaysWithinItsFraction(t *testing.T) {
	t.Parallel()
	for r, want := range map[float64]time.Duration{0: 80 * time.Second, 0.5: 100 * time.Second, 0.75: 110 * time.Second} {
		j := &Jitter{fraction: 0.2, random: func() float64 { return r }}
		if got := j.Apply(100 * time.Second); got != want {
			t.Errorf("random %v: %v, want %v", r, got, want)
		}
	}
	j := NewJitter(DefaultJitter)
	seen := map[time.Duration]bool{}
	for range 1000 {
		d := j.Apply(time.Minute)
		if d < 48*time.Second || d > 72*time.Second {
			t.Fatalf("jittered minute %v is outside ±20 %%", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct delays in 1000", len(seen))
	}
}

func TestRelayConfigReadsTheWebhookSettings(t *testing.T) {
	t.Parallel()
	cfg := config.Default().Webhook
	rc := RelayConfig(cfg, worker.Backoff{})
	if rc.PollInterval != time.Second || rc.Workers != 4 || len(rc.RetrySchedule) != 8 || rc.RetrySchedule[7] != 12*time.Hour {
		t.Fatalf("relay config: %+v", rc)
	}
	if rc.Lease <= cfg.Timeout || rc.Jitter == nil {
		t.Fatalf("lease %v must outlast the timeout %v", rc.Lease, cfg.Timeout)
	}
}
