package persistence

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// webhookEndpointModel is a row of webhook_endpoints; events is a JSON array.
type webhookEndpointModel struct {
	ID          string `gorm:"primaryKey"`
	URL         string
	Events      string
	Enabled     bool
	Description string
	Secret      string
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (webhookEndpointModel) TableName() string { return "webhook_endpoints" }

// webhookDeliveryModel is a row of webhook_deliveries.
type webhookDeliveryModel struct {
	ID            string `gorm:"primaryKey"`
	EndpointID    string
	EventID       string
	EventType     string
	Payload       string
	Status        string
	AttemptCount  int
	NextAttemptAt *time.Time
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (webhookDeliveryModel) TableName() string { return "webhook_deliveries" }

// webhookAttemptModel is a row of webhook_delivery_attempts; number counts from 1 per delivery.
type webhookAttemptModel struct {
	DeliveryID   string `gorm:"primaryKey"`
	Number       int    `gorm:"primaryKey;autoIncrement:false"`
	AttemptedAt  time.Time
	StatusCode   *int
	DurationMS   int64 `gorm:"column:duration_ms"`
	Error        string
	ResponseBody string
}

func (webhookAttemptModel) TableName() string { return "webhook_delivery_attempts" }

func endpointToModel(s webhook.EndpointSnapshot) (webhookEndpointModel, error) {
	events, err := json.Marshal(s.Events)
	if err != nil {
		return webhookEndpointModel{}, fmt.Errorf("encode events: %w", err)
	}
	return webhookEndpointModel{
		ID: s.ID, URL: s.URL, Events: string(events), Enabled: s.Enabled, Description: s.Description,
		Secret: s.Secret.Reveal(), Version: int64(s.Version), CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
	}, nil
}

func endpointFromModel(m webhookEndpointModel) (*webhook.Endpoint, error) {
	var events []string
	if err := json.Unmarshal([]byte(m.Events), &events); err != nil {
		return nil, fmt.Errorf("decode events of endpoint %s: %w", m.ID, err)
	}
	secret, err := webhook.ParseSecret(m.Secret)
	if err != nil {
		return nil, fmt.Errorf("endpoint %s: %w", m.ID, err)
	}
	return webhook.RestoreEndpoint(webhook.EndpointSnapshot{
		ID: m.ID, URL: m.URL, Events: events, Enabled: m.Enabled, Description: m.Description, Secret: secret,
		Version: shared.Version(m.Version), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}), nil
}

// deliveryToModel maps the row; the attempts go to their own table (attemptsToModels).
func deliveryToModel(s webhook.DeliverySnapshot) webhookDeliveryModel {
	var next *time.Time
	if t := s.NextAttemptAt; !t.IsZero() {
		t = t.UTC()
		next = &t
	}
	return webhookDeliveryModel{
		ID: s.ID, EndpointID: s.EndpointID, EventID: s.EventID, EventType: s.EventType,
		Payload: string(s.Payload), Status: string(s.Status), AttemptCount: len(s.Attempts),
		NextAttemptAt: next, Version: int64(s.Version), CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC(),
	}
}

func deliveryFromModel(m webhookDeliveryModel, attempts []webhookAttemptModel) *webhook.Delivery {
	var next time.Time
	if m.NextAttemptAt != nil {
		next = m.NextAttemptAt.UTC()
	}
	var as []webhook.Attempt
	for _, a := range attempts {
		as = append(as, attemptFromModel(a))
	}
	return webhook.RestoreDelivery(webhook.DeliverySnapshot{
		ID: m.ID, EndpointID: m.EndpointID, EventID: m.EventID, EventType: m.EventType, Payload: []byte(m.Payload),
		Status: webhook.Status(m.Status), NextAttemptAt: next, Attempts: as, Version: shared.Version(m.Version),
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	})
}

func attemptsToModels(deliveryID string, as []webhook.Attempt) []webhookAttemptModel {
	out := make([]webhookAttemptModel, len(as))
	for i, a := range as {
		var code *int
		if a.StatusCode != 0 {
			c := a.StatusCode
			code = &c
		}
		out[i] = webhookAttemptModel{
			DeliveryID: deliveryID, Number: i + 1, AttemptedAt: a.At.UTC(), StatusCode: code,
			DurationMS: a.Duration.Milliseconds(), Error: a.Error, ResponseBody: a.ResponseBody,
		}
	}
	return out
}

func attemptFromModel(m webhookAttemptModel) webhook.Attempt {
	a := webhook.Attempt{
		At: m.AttemptedAt.UTC(), Duration: time.Duration(m.DurationMS) * time.Millisecond,
		Error: m.Error, ResponseBody: m.ResponseBody,
	}
	if m.StatusCode != nil {
		a.StatusCode = *m.StatusCode
	}
	return a
}
