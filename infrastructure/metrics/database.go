package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

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

// replicaCollector reports the read replicas at scrape time, from what their poll last saw.
type replicaCollector struct{ db *persistence.DB }

var (
	replicaLagBytes = prometheus.NewDesc("inkwell_database_replica_lag_bytes",
		"WAL bytes the read replica has still to replay, at its last poll.", []string{"replica"}, nil)
	replicaLagSeconds = prometheus.NewDesc("inkwell_database_replica_lag_seconds",
		"Age of the last transaction the read replica replayed while it is behind (0 when caught up), at its last poll.",
		[]string{"replica"}, nil)
	replicaUsable = prometheus.NewDesc("inkwell_database_replica_usable",
		"1 while the read replica answers its poll, is in recovery and has not failed a read within its cooldown.",
		[]string{"replica"}, nil)
	replicaReads = prometheus.NewDesc("inkwell_database_reads_total",
		"Public reads that may use a replica, by where they ran (target) and why (reason: replica; behind, unavailable or replica_failed on the primary).",
		[]string{"target", "reason"}, nil)
)

func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- replicaLagBytes
	ch <- replicaLagSeconds
	ch <- replicaUsable
	ch <- replicaReads
}

func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.db.ReplicaStatuses() {
		usable := 0.0
		if s.Usable {
			usable = 1
		}
		ch <- prometheus.MustNewConstMetric(replicaLagBytes, prometheus.GaugeValue, float64(s.LagBytes), s.Name)
		ch <- prometheus.MustNewConstMetric(replicaLagSeconds, prometheus.GaugeValue, s.Lag.Seconds(), s.Name)
		ch <- prometheus.MustNewConstMetric(replicaUsable, prometheus.GaugeValue, usable, s.Name)
	}
	for route, n := range c.db.ReadsRouted() {
		target := "primary"
		if route == persistence.RouteReplica {
			target = "replica"
		}
		ch <- prometheus.MustNewConstMetric(replicaReads, prometheus.CounterValue, float64(n), target, route)
	}
}
