// Package metrics owns Inkwell's Prometheus registry and the collectors the other layers report to.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

// Registry is the process's metrics: a private registry (no global state, so tests can build many).
type Registry struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
	problems *prometheus.CounterVec
}

// New registers the Go runtime, process, database pool and fault, and HTTP collectors; from now on
// db reports its faults here.
func New(db *persistence.DB) *Registry {
	reg := prometheus.NewRegistry()
	r := &Registry{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_http_requests_total", Help: "HTTP requests by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "inkwell_http_request_duration_seconds", Help: "HTTP request latency by route template and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inkwell_http_requests_in_flight", Help: "HTTP requests being served.",
		}),
		problems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_http_problems_total",
			Help: "HTTP requests answered with a problem, by route template and problem code (database_unavailable: a 503 for a database fault).",
		}, []string{"route", "code"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL, string(db.Dialect)),
		r.requests, r.latency, r.inFlight, r.problems,
	)
	db.SetObserver(newDatabaseMetrics(reg))
	if len(db.ReplicaStatuses()) > 0 {
		reg.MustRegister(&replicaCollector{db: db})
	}
	return r
}

// Register adds more collectors (workers, caches).
func (r *Registry) Register(cs ...prometheus.Collector) { r.reg.MustRegister(cs...) }

// Handler serves the registry in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{Registry: r.reg})
}

// RequestStarted counts a request in flight.
func (r *Registry) RequestStarted() { r.inFlight.Inc() }

// RequestFinished records a finished request.
func (r *Registry) RequestFinished(route, method string, status int, elapsed time.Duration) {
	r.inFlight.Dec()
	r.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	r.latency.WithLabelValues(route, method).Observe(elapsed.Seconds())
}

// ProblemAnswered counts a request answered with the problem code.
func (r *Registry) ProblemAnswered(route, code string) {
	r.problems.WithLabelValues(route, code).Inc()
}
