package webhookhttp

import (
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func toWebhook(v webhookapp.EndpointView) webhookResponse {
	return webhookResponse{
		ID: v.ID, URL: v.URL, Events: v.Events, Enabled: v.Enabled, Description: v.Description,
		Version: int64(v.Version), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
}

func toWebhookWithSecret(v webhookapp.EndpointWithSecret) webhookWithSecretResponse {
	return webhookWithSecretResponse{Secret: v.Secret, webhookResponse: toWebhook(v.EndpointView)}
}

func toDelivery(v webhookapp.DeliveryView) deliveryResponse {
	out := deliveryResponse{
		ID: v.ID, EventID: v.EventID, EventType: v.EventType, Status: string(v.Status), AttemptCount: v.AttemptCount,
		NextAttemptAt: v.NextAttemptAt, Payload: v.Payload, Attempts: make([]attemptResponse, 0, len(v.Attempts)),
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
	for _, a := range v.Attempts {
		r := attemptResponse{At: a.At, DurationMS: a.DurationMS, Error: a.Error, ResponseBody: a.ResponseBody}
		if a.StatusCode != 0 {
			code := a.StatusCode
			r.StatusCode = &code
		}
		out.Attempts = append(out.Attempts, r)
	}
	return out
}

// updateCommand maps the merge patch: null clears description; url, events and enabled cannot be
// cleared, so null there is a field error.
func updateCommand(req updateWebhookRequest) (webhookapp.UpdateEndpoint, error) {
	var cmd webhookapp.UpdateEndpoint
	var v shared.Validator
	v.Check(!req.URL.Null, "url", "must not be null")
	v.Check(!req.Events.Null, "events", "must not be null; subscribe to at least one event type")
	v.Check(!req.Enabled.Null, "enabled", "must not be null")
	if err := v.Err(); err != nil {
		return cmd, err
	}
	if req.URL.Set {
		cmd.URL = &req.URL.Value
	}
	if req.Events.Set {
		// An empty array must reach the domain as "no events" (refused), not as "unchanged".
		cmd.Events = append(make([]string, 0, len(req.Events.Value)), req.Events.Value...)
	}
	if req.Enabled.Set {
		cmd.Enabled = &req.Enabled.Value
	}
	if req.Description.Set {
		cmd.Description = &req.Description.Value // "" for null
	}
	return cmd, nil
}
