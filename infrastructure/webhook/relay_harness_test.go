package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/listing"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	webhookinfra "github.com/inkwell-cms/inkwell/infrastructure/webhook"
)

// harness is the real relay on a real database, sending to httptest receivers (allow-private on).
type harness struct {
	tx      *persistence.TxManager
	outbox  *persistence.Outbox
	svc     *webhookapp.Service
	relay   *webhookapp.Relay
	logs    *observer.ObservedLogs
	metrics *countingMetrics
}

func newHarness(t *testing.T, db *persistence.DB, schedule ...time.Duration) *harness {
	t.Helper()
	cfg := config.Default().Webhook
	cfg.AllowPrivateTargets = true
	cfg.Timeout = 2 * time.Second
	cfg.PollInterval = 10 * time.Millisecond
	cfg.RetrySchedule = schedule
	rc := webhookinfra.RelayConfig(cfg, worker.Backoff{})
	rc.Jitter = nil
	core, logs := observer.New(zapcore.WarnLevel)
	guard, clk, ids := webhookinfra.NewGuard(cfg), clock.NewSystem(), clock.NewUUIDv7()
	h := &harness{
		tx: persistence.NewTxManager(db), outbox: persistence.NewOutbox(db), logs: logs, metrics: &countingMetrics{},
	}
	endpoints, deliveries := persistence.NewWebhookEndpoints(db), persistence.NewWebhookDeliveries(db)
	h.svc = webhookapp.NewService(h.tx, endpoints, deliveries, guard, clk, ids)
	h.relay = webhookapp.NewRelay(rc, h.tx, h.outbox, endpoints, deliveries, deliveries,
		webhookinfra.NewSender(cfg, guard, clk), clk, ids, h.metrics, zap.New(core))
	return h
}

// start runs the relay until the returned stop is called (or the test ends); stop waits for Run to
// return, so everything the relay does (logs, metrics) has happened by then.
func (h *harness) start(t *testing.T) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.relay.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("relay: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

var adminCtx = authz.WithPrincipal(context.Background(), authz.Principal{UserID: "u1", Role: identity.RoleAdmin})

func (h *harness) endpoint(t *testing.T, url string, enabled bool, events ...string) webhookapp.EndpointWithSecret {
	t.Helper()
	e, err := h.svc.Create(adminCtx, webhookapp.CreateEndpoint{URL: url, Events: events, Enabled: &enabled})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (h *harness) publish(t *testing.T, eventType string) application.OutboxMessage {
	t.Helper()
	m := application.OutboxMessage{
		ID: clock.NewUUIDv7().NewID(), Type: eventType, AggregateType: "tag", AggregateID: clock.NewUUIDv7().NewID(),
		OccurredAt: clock.NewSystem().Now(), Data: map[string]string{"slug": "go", "name": "Go"},
	}
	if err := h.tx.Do(context.Background(), func(ctx context.Context) error { return h.outbox.Append(ctx, m) }); err != nil {
		t.Fatal(err)
	}
	return m
}

// waitDelivery waits until the endpoint's only delivery is final, and returns it.
func (h *harness) waitDelivery(t *testing.T, endpointID string) webhookapp.DeliveryView {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		page, err := h.svc.ListDeliveries(adminCtx, endpointID, listing.FirstPage())
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 1 && page.Items[0].Status != webhook.StatusPending {
			return page.Items[0]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the delivery did not finish in time")
	return webhookapp.DeliveryView{}
}

// receiver answers with statuses in turn (the last one repeats) and records what it got.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	requests []received
}

type received struct {
	path   string
	header http.Header
	body   []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests = append(rc.requests, received{path: r.URL.Path, header: r.Header.Clone(), body: body})
	if r.URL.Path == "/moved" {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
		return
	}
	status := rc.statuses[min(len(rc.requests), len(rc.statuses))-1]
	w.WriteHeader(status)
	_, _ = io.WriteString(w, http.StatusText(status))
}

func (rc *receiver) got() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.requests...)
}

type countingMetrics struct {
	mu                          sync.Mutex
	success, failure            int
	delivered, failed, observed int
}

func (m *countingMetrics) AttemptMade(ok bool, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok {
		m.success++
	} else {
		m.failure++
	}
}

func (m *countingMetrics) DeliveryFinished(s webhook.Status) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s == webhook.StatusDelivered {
		m.delivered++
	} else {
		m.failed++
	}
}

func (m *countingMetrics) QueueObserved(webhookapp.QueueStats, time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.observed++
}

func (m *countingMetrics) counts() [4]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return [4]int{m.success, m.failure, m.delivered, m.failed}
}

func newReceiver(t *testing.T, statuses ...int) (*receiver, string) {
	rc := &receiver{statuses: statuses}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

func verifyAll(t *testing.T, secret string, m application.OutboxMessage, reqs []received) {
	t.Helper()
	for i, r := range reqs {
		if id := r.header.Get("webhook-id"); id != m.ID {
			t.Errorf("request %d: webhook-id %q, want the event id %q", i, id, m.ID)
		}
		if err := webhookinfra.Verify(secret, r.header, r.body, time.Now(), webhookinfra.DefaultTolerance); err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
}
