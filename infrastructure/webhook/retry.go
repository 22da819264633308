package webhook

import (
	"math/rand/v2"
	"time"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// DefaultJitter spreads each retry delay by up to ±20 %, so deliveries that failed together (a
// receiver's outage) do not all come back at the same instant.
const DefaultJitter = 0.2

// Jitter scales a delay by a random factor in [1-fraction, 1+fraction]. The delays themselves come
// from the configured schedule, persisted with each delivery, which is why no in-process back-off
// library fits here.
type Jitter struct {
	fraction float64
	random   func() float64 // in [0, 1)
}

// NewJitter returns a jitter of ±fraction drawing from math/rand/v2 (safe for concurrent use).
func NewJitter(fraction float64) *Jitter { return &Jitter{fraction: fraction, random: rand.Float64} }

// Apply returns d scaled by the random factor.
func (j *Jitter) Apply(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (1 + j.fraction*(2*j.random()-1)))
}

// RelayConfig maps the webhook settings to the relay's. The lease outlasts two rounds of sends (the
// timeout each) with room for the database round trips, so a batch to a fast receiver never loses
// it; against a receiver that times out, sends that could outlast the lease are not started and
// their deliveries are claimed again once it expires.
func RelayConfig(cfg config.Webhook, backoff worker.Backoff) webhookapp.RelayConfig {
	return webhookapp.RelayConfig{
		Backoff:             backoff,
		PollInterval:        cfg.PollInterval,
		Workers:             cfg.Workers,
		RetrySchedule:       cfg.RetrySchedule,
		Jitter:              NewJitter(DefaultJitter).Apply,
		Lease:               2*cfg.Timeout + 30*time.Second,
		SendTimeout:         cfg.Timeout,
		BatchSize:           cfg.BatchSize,
		EndpointParallelism: cfg.EndpointParallelism,
		Retention:           cfg.Retention,
	}
}
