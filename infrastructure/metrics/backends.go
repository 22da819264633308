package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
)

// BackendMetrics counts what the circuit breakers of the shared backends see: the cache's failed
// calls by operation, the rate limiter's requests let through because it could not decide, and
// each breaker's state.
type BackendMetrics struct {
	state       *prometheus.GaugeVec
	cacheErrors *prometheus.CounterVec
	failOpen    *prometheus.CounterVec
}

// NewBackendMetrics registers the backend collectors with r.
func NewBackendMetrics(r *Registry) *BackendMetrics {
	m := &BackendMetrics{
		state: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "inkwell_circuit_breaker_state", Help: "State of a backend's circuit breaker: 0 closed, 1 half-open (probing), 2 open (calls fail fast).",
		}, []string{"breaker"}),
		cacheErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_cache_errors_total", Help: "Cache calls that failed (the database answered instead), by operation and reason (timeout, error, open).",
		}, []string{"operation", "reason"}),
		failOpen: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_ratelimit_fail_open_total", Help: "Requests let through unlimited because the rate limiter could not decide, by reason (timeout, error, open).",
		}, []string{"reason"}),
	}
	r.Register(m.state, m.cacheErrors, m.failOpen)
	return m
}

// Cache reports the cache's breaker.
func (m *BackendMetrics) Cache() *BreakerMetrics {
	return &BreakerMetrics{state: m.state.WithLabelValues("cache"), failed: func(operation, reason string) {
		m.cacheErrors.WithLabelValues(operation, reason).Inc()
	}}
}

// RateLimit reports the rate limiter's breaker: every failed call is a request let through.
func (m *BackendMetrics) RateLimit() *BreakerMetrics {
	return &BreakerMetrics{state: m.state.WithLabelValues("ratelimit"), failed: func(_, reason string) {
		m.failOpen.WithLabelValues(reason).Inc()
	}}
}

// BreakerMetrics implements breaker.Metrics for one breaker.
type BreakerMetrics struct {
	state  prometheus.Gauge
	failed func(operation, reason string)
}

// StateChanged sets the state gauge.
func (b *BreakerMetrics) StateChanged(to breaker.State) {
	switch to {
	case breaker.Open:
		b.state.Set(2)
	case breaker.HalfOpen:
		b.state.Set(1)
	default:
		b.state.Set(0)
	}
}

// CallFailed counts a failed call.
func (b *BreakerMetrics) CallFailed(operation, reason string) { b.failed(operation, reason) }
