package metrics

import "github.com/prometheus/client_golang/prometheus"

// SchedulerMetrics implements the scheduled-publishing worker's metrics port.
type SchedulerMetrics struct {
	published prometheus.Counter
}

// NewSchedulerMetrics registers the scheduler's collectors with r.
func NewSchedulerMetrics(r *Registry) *SchedulerMetrics {
	m := &SchedulerMetrics{published: prometheus.NewCounter(prometheus.CounterOpts{
		Name: "inkwell_scheduled_publishes_total", Help: "Scheduled articles published when their time came.",
	})}
	r.Register(m.published)
	return m
}

// ScheduledPublished counts n articles the scheduler published.
func (m *SchedulerMetrics) ScheduledPublished(n int) { m.published.Add(float64(n)) }
