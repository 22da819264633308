package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// UserAgent identifies Inkwell's webhook requests.
const UserAgent = "Inkwell-Webhooks/1"

// drainLimit is how much of a long answer is read past the kept part, so the connection can be
// reused; a longer answer closes it instead.
const drainLimit = 64 << 10

// Sender POSTs signed deliveries. It implements the application's Sender port.
type Sender struct {
	client *http.Client
	clock  application.Clock
}

// NewSender builds the HTTP client: the configured timeout for the whole exchange, no proxy (the
// guard must see the receiver's address), the guard's dial hook and no redirects (a redirect could
// lead anywhere, including inside the network, so it counts as a failure).
func NewSender(cfg config.Webhook, guard *Guard, clock application.Clock) *Sender {
	dialer := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second, Control: guard.control}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   max(4, cfg.Workers*cfg.EndpointParallelism), // every parallel send keeps its connection
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	client := &http.Client{
		Transport:     transport,
		Timeout:       cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Sender{client: client, clock: clock}
}

// Send makes one attempt; every outcome, good or bad, is an Attempt to record.
func (s *Sender) Send(ctx context.Context, m webhookapp.Message) webhook.Attempt {
	at := s.clock.Now()
	start := time.Now()
	a := webhook.Attempt{At: at}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(m.Payload))
	if err != nil {
		a.Error = "build request: " + err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	SetHeaders(req.Header, m.Secret, m.EventID, at, m.Payload)
	resp, err := s.client.Do(req)
	if err != nil {
		a.Duration = time.Since(start)
		a.Error = err.Error()
		if errors.Is(err, ErrRefusedAddress) {
			// The dial error names the address DNS gave; the delivery log, which clients read, must not.
			a.Error = ErrRefusedAddress.Error()
		}
		return a
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, webhook.MaxResponseBody))
	_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
	_ = resp.Body.Close()
	a.Duration = time.Since(start)
	a.StatusCode = resp.StatusCode
	a.ResponseBody = cleanText(body)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		a.Error = fmt.Sprintf("receiver answered %d; redirects are not followed", resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		a.Error = fmt.Sprintf("receiver answered %d", resp.StatusCode)
	case readErr != nil:
		a.Error = "read response: " + readErr.Error()
	}
	return a
}

// cleanText makes a response body storable as text: valid UTF-8 (a cut may split a character) and
// no NUL bytes, which PostgreSQL text refuses.
func cleanText(b []byte) string {
	return strings.ReplaceAll(strings.ToValidUTF8(string(b), ""), "\x00", "")
}
