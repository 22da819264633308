package webhook

import (
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// EndpointView is an endpoint as the admin sees it; the secret is not part of it.
type EndpointView struct {
	ID          string
	URL         string
	Events      []string
	Enabled     bool
	Description string
	Version     shared.Version
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// EndpointWithSecret is answered by Create and RotateSecret: the only times the secret is shown.
type EndpointWithSecret struct {
	EndpointView
	Secret string
}

// AttemptView is one recorded attempt.
type AttemptView struct {
	At           time.Time
	StatusCode   int // 0 = no response
	DurationMS   int64
	Error        string
	ResponseBody string
}

// DeliveryView is a delivery with its attempts.
type DeliveryView struct {
	ID            string
	EndpointID    string
	EventID       string
	EventType     string
	Status        webhook.Status
	AttemptCount  int
	NextAttemptAt *time.Time // nil unless pending
	Payload       []byte     // the exact body sent
	Attempts      []AttemptView
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func endpointView(e *webhook.Endpoint) EndpointView {
	return EndpointView{
		ID: e.ID(), URL: e.URL(), Events: e.Events(), Enabled: e.Enabled(), Description: e.Description(),
		Version: e.Version(), CreatedAt: e.CreatedAt(), UpdatedAt: e.UpdatedAt(),
	}
}

func withSecret(e *webhook.Endpoint) EndpointWithSecret {
	return EndpointWithSecret{EndpointView: endpointView(e), Secret: e.Secret().Reveal()}
}

func deliveryView(d *webhook.Delivery) DeliveryView {
	v := DeliveryView{
		ID: d.ID(), EndpointID: d.EndpointID(), EventID: d.EventID(), EventType: d.EventType(), Status: d.Status(),
		AttemptCount: d.AttemptCount(), Payload: d.Payload(), CreatedAt: d.CreatedAt(), UpdatedAt: d.UpdatedAt(),
	}
	if d.Status() == webhook.StatusPending {
		next := d.NextAttemptAt()
		v.NextAttemptAt = &next
	}
	for _, a := range d.Attempts() {
		v.Attempts = append(v.Attempts, AttemptView{
			At: a.At, StatusCode: a.StatusCode, DurationMS: a.Duration.Milliseconds(), Error: a.Error, ResponseBody: a.ResponseBody,
		})
	}
	return v
}
