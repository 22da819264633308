// Package webhook sends webhook deliveries: Standard Webhooks signatures, the SSRF guard that keeps
// requests off internal networks, the HTTP sender and the retry jitter.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// The Standard Webhooks headers.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// DefaultTolerance is how far a receiver should let webhook-timestamp be from its clock.
const DefaultTolerance = 5 * time.Minute

// Sign returns the webhook-signature value: "v1," + base64 of HMAC-SHA256 over "id.timestamp.body"
// keyed with the secret's decoded bytes.
func Sign(secret webhook.Secret, id string, at time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(secret.Key(), id, at.Unix(), body))
}

// SetHeaders sets the three signature headers of a request sent at at.
func SetHeaders(h http.Header, secret webhook.Secret, id string, at time.Time, body []byte) {
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(HeaderSignature, Sign(secret, id, at, body))
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(unix, 10) + "."))
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a received request the way a Standard Webhooks receiver does: the headers are
// present, the timestamp is within tolerance of now, and one of the space-separated v1 signatures
// matches (compared in constant time). secret is the endpoint's "whsec_…" secret.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	s, err := webhook.ParseSecret(secret)
	if err != nil {
		return fmt.Errorf("verify webhook: %w", err)
	}
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sigs == "" {
		return errors.New("verify webhook: missing webhook-id, webhook-timestamp or webhook-signature")
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("verify webhook: bad timestamp %q", ts)
	}
	if d := now.Unix() - unix; math.Abs(float64(d)) > tolerance.Seconds() {
		return fmt.Errorf("verify webhook: timestamp %d is %ds away from now", unix, d)
	}
	want := mac(s.Key(), id, unix, body)
	for _, sig := range strings.Fields(sigs) {
		version, value, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return errors.New("verify webhook: no matching v1 signature")
}
