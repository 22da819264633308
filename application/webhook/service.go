package webhook

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// Service is the admin's management of webhook endpoints and their deliveries.
type Service struct {
	tx         application.TxManager
	endpoints  webhook.EndpointRepository
	deliveries webhook.DeliveryRepository
	guard      URLGuard
	clock      application.Clock
	ids        application.IDGenerator
	random     io.Reader
}

// NewService returns the webhook service; secrets are drawn from crypto/rand.
func NewService(tx application.TxManager, endpoints webhook.EndpointRepository, deliveries webhook.DeliveryRepository,
	guard URLGuard, clock application.Clock, ids application.IDGenerator) *Service {
	return &Service{tx: tx, endpoints: endpoints, deliveries: deliveries, guard: guard, clock: clock, ids: ids, random: rand.Reader}
}

// Create registers an endpoint and returns it with its secret, which is never shown again.
func (s *Service) Create(ctx context.Context, cmd CreateEndpoint) (EndpointWithSecret, error) {
	if err := authorize(ctx, true); err != nil {
		return EndpointWithSecret{}, err
	}
	secret, err := webhook.NewSecret(s.random)
	if err != nil {
		return EndpointWithSecret{}, fmt.Errorf("create webhook: %w", err)
	}
	enabled := cmd.Enabled == nil || *cmd.Enabled
	spec := webhook.EndpointSpec{URL: cmd.URL, Events: cmd.Events, Enabled: enabled, Description: cmd.Description}
	e, err := webhook.NewEndpoint(s.ids.NewID(), spec, secret, s.clock.Now())
	if err != nil {
		return EndpointWithSecret{}, err
	}
	// Resolved before any transaction: a slow DNS answer must not hold database locks.
	if err := s.guard.CheckURL(ctx, e.URL()); err != nil {
		return EndpointWithSecret{}, err
	}
	if err := s.endpoints.Add(ctx, e); err != nil {
		return EndpointWithSecret{}, fmt.Errorf("create webhook: %w", err)
	}
	return withSecret(e), nil
}

// List returns every endpoint, oldest first.
func (s *Service) List(ctx context.Context, r listing.Request) (listing.Page[EndpointView], error) {
	if err := authorize(ctx, false); err != nil {
		return listing.Page[EndpointView]{}, err
	}
	es, err := s.endpoints.ListPage(ctx, shared.IDPage{AfterID: r.AfterID(), Limit: r.Fetch()})
	if err != nil {
		return listing.Page[EndpointView]{}, fmt.Errorf("list webhooks: %w", err)
	}
	return listing.Map(listing.CutByID(es, r, EndpointOrder, (*webhook.Endpoint).ID), endpointView), nil
}

// Get returns one endpoint.
func (s *Service) Get(ctx context.Context, id string) (EndpointView, error) {
	if err := authorize(ctx, false); err != nil {
		return EndpointView{}, err
	}
	e, err := s.endpoints.Get(ctx, id)
	if err != nil {
		return EndpointView{}, fmt.Errorf("get webhook %s: %w", id, err)
	}
	return endpointView(e), nil
}

// Update applies a merge patch to the endpoint at version expected (its If-Match).
func (s *Service) Update(ctx context.Context, id string, expected shared.Version, cmd UpdateEndpoint) (EndpointView, error) {
	if err := authorize(ctx, true); err != nil {
		return EndpointView{}, err
	}
	if expected == 0 {
		return EndpointView{}, shared.ErrPreconditionRequired
	}
	if cmd.URL != nil {
		// Resolved before the transaction: a slow DNS answer must not hold database locks.
		if err := s.guard.CheckURL(ctx, *cmd.URL); err != nil {
			return EndpointView{}, err
		}
	}
	ch := webhook.EndpointChanges{URL: cmd.URL, Events: cmd.Events, Enabled: cmd.Enabled, Description: cmd.Description}
	e, err := s.change(ctx, id, &expected, func(e *webhook.Endpoint) error { return e.Update(ch, s.clock.Now()) })
	if err != nil {
		return EndpointView{}, err
	}
	return endpointView(e), nil
}

// RotateSecret gives the endpoint a new secret and returns it, once.
func (s *Service) RotateSecret(ctx context.Context, id string) (EndpointWithSecret, error) {
	if err := authorize(ctx, true); err != nil {
		return EndpointWithSecret{}, err
	}
	secret, err := webhook.NewSecret(s.random)
	if err != nil {
		return EndpointWithSecret{}, fmt.Errorf("rotate webhook secret: %w", err)
	}
	e, err := s.change(ctx, id, nil, func(e *webhook.Endpoint) error { return e.RotateSecret(secret, s.clock.Now()) })
	if err != nil {
		return EndpointWithSecret{}, err
	}
	return withSecret(e), nil
}

// change loads an endpoint, checks its version when expected is set, applies fn and saves the
// endpoint in one transaction.
func (s *Service) change(ctx context.Context, id string, expected *shared.Version, fn func(*webhook.Endpoint) error) (*webhook.Endpoint, error) {
	var out *webhook.Endpoint
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		e, err := s.endpoints.Get(ctx, id)
		if err != nil {
			return err
		}
		if expected != nil && e.Version() != *expected {
			return shared.VersionConflict(e.Version())
		}
		before := e.Version()
		if err := fn(e); err != nil {
			return err
		}
		if e.Version() != before {
			if err := s.endpoints.Save(ctx, e, before); err != nil {
				return err
			}
		}
		out = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("change webhook %s: %w", id, err)
	}
	return out, nil
}

// Delete removes an endpoint and its deliveries. With ifMatch (the client's If-Match) only that
// version is deleted; without it, whatever the endpoint holds now: unlike an overwrite, a deletion
// cannot silently drop someone's edit into a resource that lives on, so the check is optional.
func (s *Service) Delete(ctx context.Context, id string, ifMatch *shared.Version) error {
	if err := authorize(ctx, true); err != nil {
		return err
	}
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		if ifMatch != nil {
			e, err := s.endpoints.Get(ctx, id)
			if err != nil {
				return err
			}
			if e.Version() != *ifMatch {
				return shared.VersionConflict(e.Version())
			}
		}
		return s.endpoints.Delete(ctx, id)
	})
	if err != nil {
		return fmt.Errorf("delete webhook %s: %w", id, err)
	}
	return nil
}

// ListDeliveries returns a page of an endpoint's deliveries with their attempts, newest first.
func (s *Service) ListDeliveries(ctx context.Context, endpointID string, r listing.Request) (listing.Page[DeliveryView], error) {
	if err := authorize(ctx, false); err != nil {
		return listing.Page[DeliveryView]{}, err
	}
	if _, err := s.endpoints.Get(ctx, endpointID); err != nil {
		return listing.Page[DeliveryView]{}, fmt.Errorf("list deliveries of webhook %s: %w", endpointID, err)
	}
	ds, err := s.deliveries.ListByEndpoint(ctx, webhook.DeliveryQuery{EndpointID: endpointID, Limit: r.Fetch(), Before: r.AfterID()})
	if err != nil {
		return listing.Page[DeliveryView]{}, fmt.Errorf("list deliveries of webhook %s: %w", endpointID, err)
	}
	return listing.Map(listing.CutByID(ds, r, DeliveryOrder, (*webhook.Delivery).ID), deliveryView), nil
}

// Redeliver queues a delivered or failed delivery of the endpoint for another attempt now, with the
// same webhook-id.
func (s *Service) Redeliver(ctx context.Context, endpointID, deliveryID string) (DeliveryView, error) {
	if err := authorize(ctx, true); err != nil {
		return DeliveryView{}, err
	}
	var view DeliveryView
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		d, err := s.deliveries.Get(ctx, deliveryID)
		if err != nil {
			return err
		}
		if d.EndpointID() != endpointID {
			return webhook.ErrDeliveryNotFound
		}
		before := d.Version()
		if err := d.Redeliver(s.clock.Now()); err != nil {
			return err
		}
		if err := s.deliveries.Save(ctx, d, before); err != nil {
			return err
		}
		view = deliveryView(d)
		return nil
	})
	if err != nil {
		return DeliveryView{}, fmt.Errorf("redeliver %s: %w", deliveryID, err)
	}
	return view, nil
}
