package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	webhookinfra "github.com/inkwell-cms/inkwell/infrastructure/webhook"
)

// hookReceiver answers 500 to its first failFirst requests and 200 afterwards, recording them all.
type hookReceiver struct {
	mu        sync.Mutex
	failFirst int
	got       []hookRequest
}

type hookRequest struct {
	path   string
	header http.Header
	body   []byte
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.got = append(h.got, hookRequest{path: r.URL.Path, header: r.Header.Clone(), body: body})
	n := len(h.got)
	h.mu.Unlock()
	if n <= h.failFirst {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "down")
		return
	}
	_, _ = io.WriteString(w, "ok")
}

func (h *hookReceiver) requests() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.got...)
}

// startRelay runs the app's webhook relay, as serve does, until the test ends.
func startRelay(t *testing.T, app *testApp) {
	t.Helper()
	startWorker(t, app, "webhook-relay")
}

// appendEvent commits an event to the outbox as an application service does: in a transaction.
func appendEvent(t *testing.T, app *testApp, eventType string, data any) application.OutboxMessage {
	t.Helper()
	ids := clock.NewUUIDv7()
	m := application.OutboxMessage{
		ID: ids.NewID(), Type: eventType, AggregateType: "tag", AggregateID: ids.NewID(),
		OccurredAt: clock.NewSystem().Now(), Data: data,
	}
	outbox := persistence.NewOutbox(app.DB)
	err := persistence.NewTxManager(app.DB).Do(context.Background(), func(ctx context.Context) error { return outbox.Append(ctx, m) })
	if err != nil {
		t.Fatalf("append %s to the outbox: %v", eventType, err)
	}
	return m
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

type deliveryDTO struct {
	ID            string
	EventID       string          `json:"event_id"`
	EventType     string          `json:"event_type"`
	Status        string          `json:"status"`
	AttemptCount  int             `json:"attempt_count"`
	NextAttemptAt *time.Time      `json:"next_attempt_at"`
	Payload       json.RawMessage `json:"payload"`
	Attempts      []struct {
		At           time.Time
		StatusCode   *int   `json:"status_code"`
		DurationMS   int64  `json:"duration_ms"`
		Error        string `json:"error"`
		ResponseBody string `json:"response_body"`
	}
}

func (f *identityFixture) deliveries(t *testing.T, webhookID string) []deliveryDTO {
	t.Helper()
	r := f.admin.Do("GET", "/api/v1/admin/webhooks/"+webhookID+"/deliveries", nil)
	if r.Status != 200 {
		t.Fatalf("list deliveries: %d %s", r.Status, r.Body)
	}
	var page struct{ Data []deliveryDTO }
	r.JSON(t, &page)
	return page.Data
}

// deliveredAfter waits until the webhook's only delivery is delivered after n attempts.
func (f *identityFixture) deliveredAfter(t *testing.T, webhookID string, n int) deliveryDTO {
	t.Helper()
	var ds []deliveryDTO
	waitFor(t, "the delivery to be recorded as delivered", func() bool {
		ds = f.deliveries(t, webhookID)
		return len(ds) == 1 && ds[0].Status == "delivered" && ds[0].AttemptCount == n
	})
	return ds[0]
}

// TestWebhookDeliveryRoundTrip sends an event committed to the outbox through the real relay to a
// receiver, checks what the receiver got (signed, same webhook-id on every attempt, the committed
// body) and what the API reports about it, then redelivers it under a rotated secret.
func TestWebhookDeliveryRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		failFirst int
	}{{"receiver up", 0}, {"receiver fails twice", 2}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachDialect(t, func(t *testing.T, d config.Dialect) {
				f := newIdentityFixture(t, d, func(c *config.Config) {
					c.Webhook.AllowPrivateTargets = true
					c.Webhook.RetrySchedule = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
					c.Webhook.PollInterval = 10 * time.Millisecond
				})
				rc := &hookReceiver{failFirst: tc.failFirst}
				srv := httptest.NewServer(rc)
				t.Cleanup(srv.Close)
				hook := f.createWebhook(t, srv.URL+"/hooks", "tag.created", "tag.deleted")
				id, secret := hook["id"].(string), hook["secret"].(string)
				unsubscribed := f.createWebhook(t, srv.URL+"/other", "article.published")["id"].(string)
				startRelay(t, f.app)
				data := map[string]any{"id": "0190a5c0-0000-7000-8000-00000000000a", "slug": "go", "name": "Go"}
				msg := appendEvent(t, f.app, "tag.created", data)

				attempts := tc.failFirst + 1
				dl := f.deliveredAfter(t, id, attempts)
				reqs := rc.requests()
				if len(reqs) != attempts {
					t.Fatalf("the receiver got %d requests, want %d", len(reqs), attempts)
				}
				for i, r := range reqs {
					if r.path != "/hooks" || r.header.Get("webhook-id") != msg.ID || !bytes.Equal(r.body, reqs[0].body) {
						t.Errorf("request %d: %s webhook-id %q body %s", i, r.path, r.header.Get("webhook-id"), r.body)
					}
					if err := webhookinfra.Verify(secret, r.header, r.body, time.Now(), webhookinfra.DefaultTolerance); err != nil {
						t.Errorf("request %d: %v", i, err)
					}
				}
				var body struct {
					Type      string
					Timestamp time.Time
					Data      map[string]any
				}
				if err := json.Unmarshal(reqs[0].body, &body); err != nil {
					t.Fatalf("body %s: %v", reqs[0].body, err)
				}
				if body.Type != "tag.created" || !body.Timestamp.Equal(msg.OccurredAt) || !reflect.DeepEqual(body.Data, data) {
					t.Errorf("the body is not the committed event: %s", reqs[0].body)
				}

				var sent bytes.Buffer
				if err := json.Compact(&sent, reqs[0].body); err != nil || !bytes.Equal(sent.Bytes(), dl.Payload) {
					t.Errorf("the delivery's payload %s is not the body sent %s", dl.Payload, reqs[0].body)
				}
				if dl.EventID != msg.ID || dl.EventType != "tag.created" || dl.NextAttemptAt != nil || len(dl.Attempts) != attempts {
					t.Fatalf("delivery: %+v", dl)
				}
				for i, a := range dl.Attempts {
					wantStatus, wantBody := 500, "down"
					if i == attempts-1 {
						wantStatus, wantBody = 200, "ok"
					}
					if a.StatusCode == nil || *a.StatusCode != wantStatus || a.ResponseBody != wantBody || (a.Error == "") != (wantStatus == 200) {
						t.Errorf("attempt %d: %+v", i, a)
					}
					if i > 0 && a.At.Sub(dl.Attempts[i-1].At) < 40*time.Millisecond {
						t.Errorf("attempt %d came %v after the previous one; the schedule says 50ms ±20%%", i, a.At.Sub(dl.Attempts[i-1].At))
					}
				}
				if ds := f.deliveries(t, unsubscribed); len(ds) != 0 {
					t.Errorf("an endpoint not subscribed to tag.created got deliveries: %+v", ds)
				}

				rot := f.admin.Do("POST", "/api/v1/admin/webhooks/"+id+"/rotate-secret", nil)
				newSecret := rot.Map(t)["secret"].(string)
				r := f.admin.Do("POST", "/api/v1/admin/webhooks/"+id+"/deliveries/"+dl.ID+"/redeliver", nil)
				var queued deliveryDTO
				r.JSON(t, &queued)
				if r.Status != 202 || queued.Status != "pending" || queued.NextAttemptAt == nil || queued.AttemptCount != attempts {
					t.Fatalf("redeliver: %d %s", r.Status, r.Body)
				}
				again := f.deliveredAfter(t, id, attempts+1)
				last := rc.requests()[attempts]
				if last.header.Get("webhook-id") != msg.ID || again.Attempts[attempts].StatusCode == nil || *again.Attempts[attempts].StatusCode != 200 {
					t.Errorf("redelivery: webhook-id %q, attempts %+v", last.header.Get("webhook-id"), again.Attempts)
				}
				if err := webhookinfra.Verify(newSecret, last.header, last.body, time.Now(), webhookinfra.DefaultTolerance); err != nil {
					t.Errorf("the redelivery is not signed with the rotated secret: %v", err)
				}
				if webhookinfra.Verify(secret, last.header, last.body, time.Now(), webhookinfra.DefaultTolerance) == nil {
					t.Error("the redelivery still verifies with the old secret")
				}
			})
		})
	}
}
