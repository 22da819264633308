package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// Endpoints implements webhook.EndpointRepository on the Endpoints table; Delete takes the
// endpoint's deliveries with it, as the foreign key's cascade does.
type Endpoints struct{ db *DB }

var _ webhook.EndpointRepository = (*Endpoints)(nil)

func (r *Endpoints) Add(_ context.Context, e *webhook.Endpoint) error {
	t, unlock := r.db.lock()
	defer unlock()
	if _, ok := t.Endpoints[e.ID()]; ok {
		return fmt.Errorf("endpoint %s: %w", e.ID(), errConstraint)
	}
	t.Endpoints[e.ID()] = e.State()
	return nil
}

func (r *Endpoints) Get(_ context.Context, id string) (*webhook.Endpoint, error) {
	t, unlock := r.db.lock()
	defer unlock()
	s, ok := t.Endpoints[id]
	if !ok {
		return nil, webhook.ErrEndpointNotFound
	}
	return webhook.RestoreEndpoint(s), nil
}

// List returns every endpoint in id order, oldest first (UUIDv7 ids are time-ordered).
func (r *Endpoints) List(context.Context) ([]*webhook.Endpoint, error) {
	return r.after(""), nil
}

// ListPage returns the endpoints after page.AfterID in id order, at most page.Limit of them.
func (r *Endpoints) ListPage(_ context.Context, page shared.IDPage) ([]*webhook.Endpoint, error) {
	if page.AfterID != "" && !wellFormedID(page.AfterID) {
		return nil, nil // nothing comes after an id no row can have
	}
	all := r.after(page.AfterID)
	return all[:min(len(all), page.Limit)], nil
}

// after returns the endpoints whose id sorts after afterID, in id order.
func (r *Endpoints) after(afterID string) []*webhook.Endpoint {
	t, unlock := r.db.lock()
	defer unlock()
	var rows []webhook.EndpointSnapshot
	for id, s := range t.Endpoints {
		if id > afterID {
			rows = append(rows, s)
		}
	}
	slices.SortFunc(rows, func(a, b webhook.EndpointSnapshot) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]*webhook.Endpoint, len(rows))
	for i, s := range rows {
		out[i] = webhook.RestoreEndpoint(s)
	}
	return out
}

func (r *Endpoints) Save(_ context.Context, e *webhook.Endpoint, expected shared.Version) error {
	t, unlock := r.db.lock()
	defer unlock()
	stored, ok := t.Endpoints[e.ID()]
	switch {
	case !ok:
		return webhook.ErrEndpointNotFound
	case stored.Version != expected:
		return shared.VersionConflict(stored.Version)
	}
	s := e.State()
	s.CreatedAt = stored.CreatedAt
	t.Endpoints[s.ID] = s
	return nil
}

func (r *Endpoints) Delete(_ context.Context, id string) error {
	t, unlock := r.db.lock()
	defer unlock()
	if _, ok := t.Endpoints[id]; !ok {
		return webhook.ErrEndpointNotFound
	}
	delete(t.Endpoints, id)
	for did, d := range t.Deliveries {
		if d.EndpointID == id {
			delete(t.Deliveries, did)
		}
	}
	return nil
}

// Deliveries implements webhook.DeliveryRepository on the Deliveries table. A delivery's endpoint
// must exist, and an event goes to an endpoint once.
type Deliveries struct{ db *DB }

var _ webhook.DeliveryRepository = (*Deliveries)(nil)

// Add stores all of ds or, when one breaks a constraint, none.
func (r *Deliveries) Add(_ context.Context, ds ...*webhook.Delivery) error {
	t, unlock := r.db.lock()
	defer unlock()
	added := make(map[string]webhook.DeliverySnapshot, len(ds))
	for _, d := range ds {
		s := d.State()
		if _, ok := t.Endpoints[s.EndpointID]; !ok {
			return fmt.Errorf("delivery %s to unknown endpoint %s: %w", s.ID, s.EndpointID, errConstraint)
		}
		for id, o := range t.Deliveries {
			if id == s.ID || (o.EndpointID == s.EndpointID && o.EventID == s.EventID) {
				return fmt.Errorf("delivery %s: %w", s.ID, errConstraint)
			}
		}
		for id, o := range added {
			if id == s.ID || (o.EndpointID == s.EndpointID && o.EventID == s.EventID) {
				return fmt.Errorf("delivery %s: %w", s.ID, errConstraint)
			}
		}
		added[s.ID] = s
	}
	for id, s := range added {
		t.Deliveries[id] = s
	}
	return nil
}

func (r *Deliveries) Get(_ context.Context, id string) (*webhook.Delivery, error) {
	t, unlock := r.db.lock()
	defer unlock()
	s, ok := t.Deliveries[id]
	if !ok {
		return nil, webhook.ErrDeliveryNotFound
	}
	return webhook.RestoreDelivery(s), nil
}

// ListByEndpoint pages newest first by id (UUIDv7 ids are time-ordered), as the GORM repository does.
func (r *Deliveries) ListByEndpoint(_ context.Context, q webhook.DeliveryQuery) ([]*webhook.Delivery, error) {
	if q.Before != "" && !wellFormedID(q.Before) {
		return nil, nil // nothing comes before an id no row can have
	}
	t, unlock := r.db.lock()
	defer unlock()
	var ids []string
	for id, s := range t.Deliveries {
		if s.EndpointID == q.EndpointID && (q.Before == "" || id < q.Before) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	var out []*webhook.Delivery
	for _, id := range ids[:min(len(ids), q.Limit)] {
		out = append(out, webhook.RestoreDelivery(t.Deliveries[id]))
	}
	return out, nil
}

// Save writes only what a delivery's methods change; its identity, event and payload stay as stored.
func (r *Deliveries) Save(_ context.Context, d *webhook.Delivery, expected shared.Version) error {
	t, unlock := r.db.lock()
	defer unlock()
	stored, ok := t.Deliveries[d.ID()]
	switch {
	case !ok:
		return webhook.ErrDeliveryNotFound
	case stored.Version != expected:
		return shared.VersionConflict(stored.Version)
	}
	s := d.State()
	stored.Status, stored.NextAttemptAt, stored.Attempts = s.Status, s.NextAttemptAt, s.Attempts
	stored.Version, stored.UpdatedAt = s.Version, s.UpdatedAt
	t.Deliveries[s.ID] = stored
	return nil
}
