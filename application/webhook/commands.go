package webhook

// CreateEndpoint is the input of Service.Create.
type CreateEndpoint struct {
	URL         string
	Events      []string
	Enabled     *bool // nil = enabled
	Description string
}

// UpdateEndpoint is a merge patch: nil fields stay as they are.
type UpdateEndpoint struct {
	URL         *string
	Events      []string // nil = unchanged; an empty list is refused
	Enabled     *bool
	Description *string
}

// The orders of the webhook lists, which their cursors are bound to: endpoints oldest first,
// deliveries newest first (both by id, which is time-ordered).
const (
	EndpointOrder = "webhooks"
	DeliveryOrder = "deliveries"
)
