package webhook

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/inkwell-cms/inkwell/application"
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
func (s *Service) List(ctx context.Context) ([]EndpointView, error) {
	if err := authorize(ctx, false); err != nil {
		return nil, err
	}
	es, err := s.endpoints.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	out := make([]EndpointView, len(es))
	for i, e := range es {
		out[i] = endpointView(e)
	}
	return out, nil
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
func (s *Service) ListDeliveries(ctx context.Context, q ListDeliveries) (DeliveryPage, error) {
	if err := authorize(ctx, false); err != nil {
		return DeliveryPage{}, err
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return DeliveryPage{}, shared.Validation(shared.FieldError{Field: "limit", Message: "must be between 1 and 100"})
	}
	if _, err := s.endpoints.Get(ctx, q.EndpointID); err != nil {
		return DeliveryPage{}, fmt.Errorf("list deliveries of webhook %s: %w", q.EndpointID, err)
	}
	ds, err := s.deliveries.ListByEndpoint(ctx, webhook.DeliveryQuery{EndpointID: q.EndpointID, Limit: q.Limit + 1, Before: q.Cursor})
	if err != nil {
		return DeliveryPage{}, fmt.Errorf("list deliveries of webhook %s: %w", q.EndpointID, err)
	}
	var page DeliveryPage
	if len(ds) > q.Limit {
		ds = ds[:q.Limit]
		page.NextCursor = ds[len(ds)-1].ID()
	}
	page.Items = make([]DeliveryView, len(ds))
	for i, d := range ds {
		page.Items[i] = deliveryView(d)
	}
	return page, nil
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
