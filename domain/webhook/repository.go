package webhook

import (
	"context"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// EndpointRepository stores endpoints. Get, Save and Delete answer ErrEndpointNotFound for an unknown
// id; Save answers shared.VersionConflict with the stored version when it is not expected.
type EndpointRepository interface {
	Add(ctx context.Context, e *Endpoint) error
	Get(ctx context.Context, id string) (*Endpoint, error)
	List(ctx context.Context) ([]*Endpoint, error)                         // every endpoint, oldest first (the relay's fan-out)
	ListPage(ctx context.Context, page shared.IDPage) ([]*Endpoint, error) // one page, oldest first
	Save(ctx context.Context, e *Endpoint, expected shared.Version) error
	Delete(ctx context.Context, id string) error // its deliveries go with it
}

// DeliveryQuery selects one page of an endpoint's deliveries, newest first.
type DeliveryQuery struct {
	EndpointID string
	Limit      int
	Before     string // a delivery id: only older deliveries (keyset cursor); empty = from the newest
}

// DeliveryRepository stores deliveries with their attempts. Get and Save answer ErrDeliveryNotFound
// for an unknown id; Save answers shared.VersionConflict with the stored version when it is not expected
// (a worker whose lease ran out, or a concurrent redelivery) and stores attempts not yet stored.
type DeliveryRepository interface {
	Add(ctx context.Context, ds ...*Delivery) error
	Get(ctx context.Context, id string) (*Delivery, error)
	ListByEndpoint(ctx context.Context, q DeliveryQuery) ([]*Delivery, error)
	Save(ctx context.Context, d *Delivery, expected shared.Version) error
}
