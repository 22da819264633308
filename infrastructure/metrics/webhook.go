package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// WebhookMetrics implements the webhook relay's Metrics port.
type WebhookMetrics struct {
	deliveries *prometheus.CounterVec
	attempts   *prometheus.CounterVec
	duration   prometheus.Histogram
	queueDepth prometheus.Gauge
	oldestAge  prometheus.Gauge
}

// NewWebhookMetrics registers the webhook collectors with r.
func NewWebhookMetrics(r *Registry) *WebhookMetrics {
	m := &WebhookMetrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_webhook_deliveries_total", Help: "Webhook deliveries finished, by outcome (delivered or failed after the last retry).",
		}, []string{"outcome"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkwell_webhook_attempts_total", Help: "Webhook delivery attempts, by result (success or failure).",
		}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "inkwell_webhook_attempt_duration_seconds", Help: "Time a webhook attempt took, until the receiver answered or it failed.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inkwell_webhook_queue_depth", Help: "Webhook deliveries pending (waiting for their first attempt or a retry).",
		}),
		oldestAge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inkwell_webhook_oldest_pending_age_seconds", Help: "Age of the oldest pending webhook delivery; 0 when none is pending.",
		}),
	}
	// Every series exists from the start, so rates and alerts work before the first event.
	for _, o := range []webhook.Status{webhook.StatusDelivered, webhook.StatusFailed} {
		m.deliveries.WithLabelValues(string(o))
	}
	m.attempts.WithLabelValues("success")
	m.attempts.WithLabelValues("failure")
	r.Register(m.deliveries, m.attempts, m.duration, m.queueDepth, m.oldestAge)
	return m
}

// AttemptMade counts one attempt and its duration.
func (m *WebhookMetrics) AttemptMade(succeeded bool, d time.Duration) {
	result := "failure"
	if succeeded {
		result = "success"
	}
	m.attempts.WithLabelValues(result).Inc()
	m.duration.Observe(d.Seconds())
}

// DeliveryFinished counts a delivery that reached delivered or failed.
func (m *WebhookMetrics) DeliveryFinished(status webhook.Status) {
	m.deliveries.WithLabelValues(string(status)).Inc()
}

// QueueObserved sets the queue gauges.
func (m *WebhookMetrics) QueueObserved(s webhookapp.QueueStats, now time.Time) {
	m.queueDepth.Set(float64(s.Pending))
	age := 0.0
	if !s.OldestPending.IsZero() {
		age = max(now.Sub(s.OldestPending).Seconds(), 0)
	}
	m.oldestAge.Set(age)
}
