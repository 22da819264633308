package webhook_test

import (
	"context"
	"net/url"
	"slices"
	"sort"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// In-memory fakes of the ports. Repositories keep snapshots, not the caller's pointers, so a change
// the service forgets to save is lost, as it would be with a database.

type fakeTx struct{}

func (fakeTx) Do(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }

// fakeGuard refuses the hosts in refused and records what it checked.
type fakeGuard struct {
	refused map[string]bool
	checked []string
}

func (g *fakeGuard) CheckURL(_ context.Context, raw string) error {
	g.checked = append(g.checked, raw)
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if g.refused[u.Hostname()] {
		return webhook.URLRefused("resolves to a private address")
	}
	return nil
}

type fakeEndpoints struct {
	rows map[string]webhook.EndpointSnapshot
}

func newFakeEndpoints() *fakeEndpoints {
	return &fakeEndpoints{rows: map[string]webhook.EndpointSnapshot{}}
}

func snapEndpoint(e *webhook.Endpoint) webhook.EndpointSnapshot {
	return webhook.EndpointSnapshot{
		ID: e.ID(), URL: e.URL(), Events: e.Events(), Enabled: e.Enabled(), Description: e.Description(),
		Secret: e.Secret(), Version: e.Version(), CreatedAt: e.CreatedAt(), UpdatedAt: e.UpdatedAt(),
	}
}

func (f *fakeEndpoints) Add(_ context.Context, e *webhook.Endpoint) error {
	f.rows[e.ID()] = snapEndpoint(e)
	return nil
}

func (f *fakeEndpoints) Get(_ context.Context, id string) (*webhook.Endpoint, error) {
	s, ok := f.rows[id]
	if !ok {
		return nil, webhook.ErrEndpointNotFound
	}
	return webhook.RestoreEndpoint(s), nil
}

func (f *fakeEndpoints) List(context.Context) ([]*webhook.Endpoint, error) {
	var out []*webhook.Endpoint
	for _, s := range f.rows {
		out = append(out, webhook.RestoreEndpoint(s))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out, nil
}

func (f *fakeEndpoints) ListPage(ctx context.Context, page shared.IDPage) ([]*webhook.Endpoint, error) {
	all, _ := f.List(ctx)
	var out []*webhook.Endpoint
	for _, e := range all {
		if e.ID() > page.AfterID && len(out) < page.Limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeEndpoints) Save(_ context.Context, e *webhook.Endpoint, expected shared.Version) error {
	s, ok := f.rows[e.ID()]
	if !ok {
		return webhook.ErrEndpointNotFound
	}
	if s.Version != expected {
		return shared.VersionConflict(s.Version)
	}
	f.rows[e.ID()] = snapEndpoint(e)
	return nil
}

func (f *fakeEndpoints) Delete(_ context.Context, id string) error {
	if _, ok := f.rows[id]; !ok {
		return webhook.ErrEndpointNotFound
	}
	delete(f.rows, id)
	return nil
}

type fakeDeliveries struct {
	rows map[string]webhook.DeliverySnapshot
}

func newFakeDeliveries() *fakeDeliveries {
	return &fakeDeliveries{rows: map[string]webhook.DeliverySnapshot{}}
}

func snapDelivery(d *webhook.Delivery) webhook.DeliverySnapshot {
	return webhook.DeliverySnapshot{
		ID: d.ID(), EndpointID: d.EndpointID(), EventID: d.EventID(), EventType: d.EventType(), Payload: d.Payload(),
		Status: d.Status(), NextAttemptAt: d.NextAttemptAt(), Attempts: d.Attempts(), Version: d.Version(),
		CreatedAt: d.CreatedAt(), UpdatedAt: d.UpdatedAt(),
	}
}

func (f *fakeDeliveries) Add(_ context.Context, ds ...*webhook.Delivery) error {
	for _, d := range ds {
		f.rows[d.ID()] = snapDelivery(d)
	}
	return nil
}

func (f *fakeDeliveries) Get(_ context.Context, id string) (*webhook.Delivery, error) {
	s, ok := f.rows[id]
	if !ok {
		return nil, webhook.ErrDeliveryNotFound
	}
	return webhook.RestoreDelivery(s), nil
}

func (f *fakeDeliveries) ListByEndpoint(_ context.Context, q webhook.DeliveryQuery) ([]*webhook.Delivery, error) {
	var ids []string
	for id, s := range f.rows {
		if s.EndpointID == q.EndpointID && (q.Before == "" || id < q.Before) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	var out []*webhook.Delivery
	for _, id := range ids[:min(len(ids), q.Limit)] {
		out = append(out, webhook.RestoreDelivery(f.rows[id]))
	}
	return out, nil
}

func (f *fakeDeliveries) Save(_ context.Context, d *webhook.Delivery, expected shared.Version) error {
	s, ok := f.rows[d.ID()]
	if !ok {
		return webhook.ErrDeliveryNotFound
	}
	if s.Version != expected {
		return shared.VersionConflict(s.Version)
	}
	f.rows[d.ID()] = snapDelivery(d)
	return nil
}
