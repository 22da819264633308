package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/inkwell-cms/inkwell/application/content"
)

// InvalidationMetrics implements the cache invalidation worker's metrics port. The backlog gauges
// are read from the shared database, so every node reports the same figures: aggregate them with
// max, not sum.
type InvalidationMetrics struct {
	applied   prometheus.Counter
	failures  *prometheus.CounterVec
	pending   prometheus.Gauge
	oldestAge prometheus.Gauge
}

// NewInvalidationMetrics registers the invalidation worker's collectors with r.
func NewInvalidationMetrics(r *Registry) *InvalidationMetrics {
	m := &InvalidationMetrics{
		applied: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "inkwell_cache_invalidations_applied_total", Help: "Writes' cache invalidations the worker applied and marked done.",
		}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_cache_invalidation_failures_total",
			Help: "Rounds of the invalidation worker that could not apply pending invalidations, by reason (cache or database).",
		}, []string{"reason"}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inkwell_cache_invalidations_pending", Help: "Writes whose cache invalidation the cache has not accepted yet.",
		}),
		oldestAge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inkwell_cache_invalidation_oldest_pending_age_seconds",
			Help: "Age of the oldest write whose cache invalidation is pending; 0 when none is.",
		}),
	}
	for _, reason := range []string{content.FailureCache, content.FailureDatabase} {
		m.failures.WithLabelValues(reason)
	}
	r.Register(m.applied, m.failures, m.pending, m.oldestAge)
	return m
}

// InvalidationsApplied counts n invalidations applied.
func (m *InvalidationMetrics) InvalidationsApplied(n int) { m.applied.Add(float64(n)) }

// InvalidationFailed counts a failed round.
func (m *InvalidationMetrics) InvalidationFailed(reason string) {
	m.failures.WithLabelValues(reason).Inc()
}

// InvalidationBacklogObserved sets the backlog gauges.
func (m *InvalidationMetrics) InvalidationBacklogObserved(b content.InvalidationBacklog, now time.Time) {
	m.pending.Set(float64(b.Pending))
	age := 0.0
	if !b.Oldest.IsZero() {
		age = max(now.Sub(b.Oldest).Seconds(), 0)
	}
	m.oldestAge.Set(age)
}
