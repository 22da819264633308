package metrics

import "github.com/prometheus/client_golang/prometheus"

// DatabaseMetrics hears the persistence layer about database faults (persistence.Observer).
type DatabaseMetrics struct {
	unavailable prometheus.Counter
	retries     *prometheus.CounterVec
}

func newDatabaseMetrics(reg *prometheus.Registry) *DatabaseMetrics {
	m := &DatabaseMetrics{
		unavailable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "inkwell_database_unavailable_total",
			Help: "Database operations that failed because the database was not reachable (refused, dropped or shutting-down connections).",
		}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_database_read_retries_total",
			Help: "Reads retried once on another connection after theirs dropped, by result (success or failure).",
		}, []string{"result"}),
	}
	reg.MustRegister(m.unavailable, m.retries)
	return m
}

// Unavailable counts an operation the database was unavailable for.
func (m *DatabaseMetrics) Unavailable() { m.unavailable.Inc() }

// ReadRetried counts a retried read.
func (m *DatabaseMetrics) ReadRetried(succeeded bool) {
	m.retries.WithLabelValues(result(succeeded)).Inc()
}

func result(succeeded bool) string {
	if succeeded {
		return "success"
	}
	return "failure"
}
