package webhookhttp

import (
	"encoding/json"
	"time"

	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

type createWebhookRequest struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Enabled     *bool    `json:"enabled"` // absent = enabled
	Description string   `json:"description"`
}

// updateWebhookRequest is a JSON merge patch: null clears description and is refused elsewhere.
type updateWebhookRequest struct {
	URL         bind.Optional[string]   `json:"url"`
	Events      bind.Optional[[]string] `json:"events"`
	Enabled     bind.Optional[bool]     `json:"enabled"`
	Description bind.Optional[string]   `json:"description"`
}

// webhookResponse never carries the secret.
type webhookResponse struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Enabled     bool      `json:"enabled"`
	Description string    `json:"description"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// webhookWithSecretResponse answers create and rotate-secret: the only responses with the secret.
type webhookWithSecretResponse struct {
	Secret string `json:"secret"`
	webhookResponse
}

type attemptResponse struct {
	At           time.Time `json:"at"`
	StatusCode   *int      `json:"status_code"` // null when no response arrived
	DurationMS   int64     `json:"duration_ms"`
	Error        string    `json:"error"`
	ResponseBody string    `json:"response_body"`
}

type deliveryResponse struct {
	ID            string            `json:"id"`
	EventID       string            `json:"event_id"`
	EventType     string            `json:"event_type"`
	Status        string            `json:"status"`
	AttemptCount  int               `json:"attempt_count"`
	NextAttemptAt *time.Time        `json:"next_attempt_at"`
	Payload       json.RawMessage   `json:"payload"` // the exact body sent, written by the outbox as JSON
	Attempts      []attemptResponse `json:"attempts"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}
