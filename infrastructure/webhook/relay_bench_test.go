package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
	webhookinfra "github.com/inkwell-cms/inkwell/infrastructure/webhook"
)

// BenchmarkRelayThroughput measures one node's relay with the shipped settings draining a backlog
// of b.N committed events to one endpoint on a local receiver that answers 200 at once. Run it with
// a fixed count, e.g. -benchtime=3000x; the figure is events/s from the relay's start until the
// receiver has every event and no delivery is pending.
func BenchmarkRelayThroughput(b *testing.B) {
	for _, d := range testdb.Dialects(b) {
		b.Run(string(d), func(b *testing.B) { benchRelay(b, testdb.Open(b, d)) })
	}
}

func benchRelay(b *testing.B, db *persistence.DB) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		got.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)

	cfg := config.Default().Webhook
	cfg.AllowPrivateTargets = true
	guard, clk, ids := webhookinfra.NewGuard(cfg), clock.NewSystem(), clock.NewUUIDv7()
	tx, outbox := persistence.NewTxManager(db), persistence.NewOutbox(db)
	endpoints, deliveries := persistence.NewWebhookEndpoints(db), persistence.NewWebhookDeliveries(db)
	svc := webhookapp.NewService(tx, endpoints, deliveries, guard, clk, ids)
	enabled := true
	if _, err := svc.Create(adminCtx, webhookapp.CreateEndpoint{URL: srv.URL + "/hook", Events: []string{webhook.EventTagCreated}, Enabled: &enabled}); err != nil {
		b.Fatal(err)
	}
	relay := webhookapp.NewRelay(webhookinfra.RelayConfig(cfg, worker.Backoff{}), tx, outbox, endpoints, deliveries,
		deliveries, webhookinfra.NewSender(cfg, guard, clk), clk, ids, &countingMetrics{}, zap.NewNop())

	const chunk = 500
	for start := 0; start < b.N; start += chunk {
		msgs := make([]application.OutboxMessage, min(chunk, b.N-start))
		for i := range msgs {
			msgs[i] = application.OutboxMessage{
				ID: ids.NewID(), Type: webhook.EventTagCreated, AggregateType: "tag", AggregateID: ids.NewID(),
				OccurredAt: clk.Now(), Data: map[string]string{"slug": "go", "name": "Go"},
			}
		}
		if err := tx.Do(context.Background(), func(ctx context.Context) error { return outbox.Append(ctx, msgs...) }); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	start := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- relay.Run(ctx) }()
	deadline := start.Add(5 * time.Minute)
	for {
		if got.Load() >= int64(b.N) {
			st, err := deliveries.Stats(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if st.Pending == 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("delivered %d of %d in 5 minutes", got.Load(), b.N)
		}
		time.Sleep(2 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(got.Load()-int64(b.N)), "duplicates")
}
