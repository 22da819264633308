package webhook_test

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	webhookinfra "github.com/inkwell-cms/inkwell/infrastructure/webhook"
)

func newSender(t *testing.T, allowPrivate bool, timeout time.Duration) *webhookinfra.Sender {
	t.Helper()
	cfg := config.Default().Webhook
	cfg.AllowPrivateTargets = allowPrivate
	cfg.Timeout = timeout
	return webhookinfra.NewSender(cfg, webhookinfra.NewGuard(cfg), clock.NewSystem())
}

func newMessage(t *testing.T, url string) webhookapp.Message {
	t.Helper()
	secret, err := webhook.NewSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return webhookapp.Message{EventID: "0190a5c0-0000-7000-8000-000000000001", URL: url, Secret: secret,
		Payload: []byte(`{"type":"tag.created","timestamp":"2025-03-01T12:00:00Z","data":{"slug":"go"}}`)}
}

func TestSendPostsTheSignedPayload(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r, must(io.ReadAll(r.Body))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	m := newMessage(t, srv.URL+"/hook")
	a := newSender(t, true, time.Second).Send(context.Background(), m)
	if !a.Succeeded() || a.StatusCode != 204 || a.At.IsZero() || a.Duration <= 0 {
		t.Fatalf("attempt: %+v", a)
	}
	if got.Method != http.MethodPost || got.URL.Path != "/hook" || got.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("request: %s %s %v", got.Method, got.URL, got.Header)
	}
	if string(body) != string(m.Payload) || got.Header.Get("webhook-id") != m.EventID {
		t.Fatalf("body %s, id %s", body, got.Header.Get("webhook-id"))
	}
	if err := webhookinfra.Verify(m.Secret.Reveal(), got.Header, body, time.Now(), webhookinfra.DefaultTolerance); err != nil {
		t.Fatalf("signature: %v", err)
	}
}

func TestSendRecordsFailuresAsAttempts(t *testing.T) {
	t.Parallel()
	var redirectTargetHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/error", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, strings.Repeat("x", 1000)+"\x00é"+strings.Repeat("y", 5000))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target", http.StatusFound)
	})
	mux.HandleFunc("/target", func(w http.ResponseWriter, _ *http.Request) { redirectTargetHits.Add(1) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s := newSender(t, true, 200*time.Millisecond)

	a := s.Send(context.Background(), newMessage(t, srv.URL+"/error"))
	if a.Succeeded() || a.StatusCode != 500 || !strings.Contains(a.Error, "500") {
		t.Fatalf("500: %+v", a)
	}
	if len(a.ResponseBody) > webhook.MaxResponseBody || !strings.HasPrefix(a.ResponseBody, strings.Repeat("x", 1000)) || strings.Contains(a.ResponseBody, "\x00") {
		t.Fatalf("response body: %d bytes %q", len(a.ResponseBody), a.ResponseBody[990:])
	}

	a = s.Send(context.Background(), newMessage(t, srv.URL+"/moved"))
	if a.Succeeded() || a.StatusCode != http.StatusFound || !strings.Contains(a.Error, "redirect") || redirectTargetHits.Load() != 0 {
		t.Fatalf("redirect: %+v, target hit %d times", a, redirectTargetHits.Load())
	}

	a = s.Send(context.Background(), newMessage(t, srv.URL+"/slow"))
	if a.Succeeded() || a.StatusCode != 0 || a.Error == "" || a.Duration > time.Second {
		t.Fatalf("timeout: %+v", a)
	}
}

func TestSendRefusesAPrivateAddressAtConnectTime(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	// The URL passed no guard: the address is checked again when the sender dials it.
	a := newSender(t, false, time.Second).Send(context.Background(), newMessage(t, srv.URL))
	if a.Succeeded() || a.Error != webhookinfra.ErrRefusedAddress.Error() || strings.Contains(a.Error, "127.0.0.1") || hits.Load() != 0 {
		t.Fatalf("loopback receiver: %+v, hits %d", a, hits.Load())
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
