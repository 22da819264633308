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

// ListDeliveries selects a page of an endpoint's deliveries, newest first.
type ListDeliveries struct {
	EndpointID string
	Limit      int    // 1–100; 0 = DefaultLimit
	Cursor     string // NextCursor of the previous page
}

// Page sizes of ListDeliveries.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)
