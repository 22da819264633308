package webhook_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/webhook"
	webhookinfra "github.com/inkwell-cms/inkwell/infrastructure/webhook"
)

// The test vector published by the Standard Webhooks project in its reference Go library
// (github.com/standard-webhooks/standard-webhooks, libraries/go/webhook_test.go, TestWebhookSign).
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func vectorHeaders(t *testing.T) http.Header {
	t.Helper()
	secret, err := webhook.ParseSecret(vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	webhookinfra.SetHeaders(h, secret, vectorID, time.Unix(vectorTimestamp, 0), []byte(vectorBody))
	return h
}

func TestSignMatchesTheStandardWebhooksTestVector(t *testing.T) {
	t.Parallel()
	h := vectorHeaders(t)
	if got := h.Get("webhook-signature"); got != vectorSignature {
		t.Fatalf("signature %s, want %s", got, vectorSignature)
	}
	if h.Get("webhook-id") != vectorID || h.Get("webhook-timestamp") != "1614265330" {
		t.Fatalf("headers: %v", h)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	at := time.Unix(vectorTimestamp, 0)
	tests := []struct {
		name   string
		modify func(h http.Header) (secret, body string, now time.Time)
		ok     bool
	}{
		{"the vector verifies", func(http.Header) (string, string, time.Time) { return vectorSecret, vectorBody, at }, true},
		{"within tolerance", func(http.Header) (string, string, time.Time) {
			return vectorSecret, vectorBody, at.Add(4 * time.Minute)
		}, true},
		{"one of several signatures", func(h http.Header) (string, string, time.Time) {
			h.Set("webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x "+vectorSignature)
			return vectorSecret, vectorBody, at
		}, true},
		{"tampered body", func(http.Header) (string, string, time.Time) { return vectorSecret, `{"test": 1}`, at }, false},
		{"another secret", func(http.Header) (string, string, time.Time) {
			return "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", vectorBody, at
		}, false},
		{"too old", func(http.Header) (string, string, time.Time) {
			return vectorSecret, vectorBody, at.Add(6 * time.Minute)
		}, false},
		{"from the future", func(http.Header) (string, string, time.Time) {
			return vectorSecret, vectorBody, at.Add(-6 * time.Minute)
		}, false},
		{"missing id", func(h http.Header) (string, string, time.Time) {
			h.Del("webhook-id")
			return vectorSecret, vectorBody, at
		}, false},
		{"wrong version", func(h http.Header) (string, string, time.Time) {
			h.Set("webhook-signature", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
			return vectorSecret, vectorBody, at
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := vectorHeaders(t)
			secret, body, now := tt.modify(h)
			err := webhookinfra.Verify(secret, h, []byte(body), now, webhookinfra.DefaultTolerance)
			if (err == nil) != tt.ok {
				t.Fatalf("Verify: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
