package metrics

import "github.com/prometheus/client_golang/prometheus"

// WorkerMetrics implements the background workers' back-off metrics (worker.Metrics).
type WorkerMetrics struct {
	backoffs   *prometheus.CounterVec
	backingOff *prometheus.GaugeVec
}

// NewWorkerMetrics registers the workers' collectors with r.
func NewWorkerMetrics(r *Registry) *WorkerMetrics {
	m := &WorkerMetrics{
		backoffs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_worker_backoffs_total",
			Help: "Back-off waits of a background worker because the database was unavailable, by worker.",
		}, []string{"worker"}),
		backingOff: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "inkwell_worker_backing_off",
			Help: "1 while a background worker backs off because the database is unavailable, by worker.",
		}, []string{"worker"}),
	}
	r.Register(m.backoffs, m.backingOff)
	return m
}

// BackedOff counts one back-off wait.
func (m *WorkerMetrics) BackedOff(worker string) { m.backoffs.WithLabelValues(worker).Inc() }

// BackingOff sets whether worker backs off now.
func (m *WorkerMetrics) BackingOff(worker string, on bool) {
	v := 0.0
	if on {
		v = 1
	}
	m.backingOff.WithLabelValues(worker).Set(v)
}
