package webhook

import "github.com/inkwell-cms/inkwell/domain/shared"

// Errors of the webhook context; the codes are public API.
var (
	ErrEndpointNotFound = shared.NotFound("webhook_not_found", "no webhook endpoint has that id")
	ErrDeliveryNotFound = shared.NotFound("delivery_not_found", "no delivery of that webhook endpoint has that id")
	ErrDeliveryPending  = shared.Conflict("delivery_pending", "the delivery is still pending; it is retried on its schedule")
)

// URLRefusedCode is the code of a webhook URL refused by the SSRF guard.
const URLRefusedCode = "webhook_url_refused"

// URLRefused is the validation error (field url) of a target the server must not call, e.g. one that
// resolves to a loopback or private address. reason is shown to the client.
func URLRefused(reason string) *shared.Error {
	return &shared.Error{
		Kind:    shared.KindInvalid,
		Code:    URLRefusedCode,
		Message: "the webhook URL is not an allowed target",
		Fields:  []shared.FieldError{{Field: "url", Message: reason}},
	}
}
