package contract

import (
	"context"
	"crypto/rand"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// WebhookHarness is a fresh store with the endpoint and delivery repositories under test.
type WebhookHarness struct {
	Tx         application.TxManager
	Endpoints  webhook.EndpointRepository
	Deliveries webhook.DeliveryRepository
}

// WebhookRepositories is the contract of webhook.EndpointRepository and webhook.DeliveryRepository.
func WebhookRepositories(t *testing.T, open func(t *testing.T) WebhookHarness) {
	for name, test := range map[string]func(t *testing.T, f *webhookFixture){
		"endpoints":                  endpointLifecycle,
		"endpoints page in id order": endpointPages,
		"deleting an endpoint deletes its deliveries": endpointDeleteCascades,
		"deliveries":                              deliveryLifecycle,
		"deliveries page newest first":            deliveryPages,
		"an event is delivered once per endpoint": deliveryUnique,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, &webhookFixture{t: t, h: open(t), ctx: context.Background()})
		})
	}
}

type webhookFixture struct {
	t   *testing.T
	h   WebhookHarness
	ctx context.Context
}

// endpoint stores an endpoint created at `at`.
func (f *webhookFixture) endpoint(at time.Time, events ...string) *webhook.Endpoint {
	f.t.Helper()
	secret, err := webhook.NewSecret(rand.Reader)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(events) == 0 {
		events = []string{webhook.EventTagCreated}
	}
	e, err := webhook.NewEndpoint(newID(), webhook.EndpointSpec{
		URL: "https://hooks.example.com/" + newID(), Events: events, Enabled: true, Description: "test",
	}, secret, at)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.h.Endpoints.Add(f.ctx, e); err != nil {
		f.t.Fatal(err)
	}
	return e
}

func (f *webhookFixture) delivery(endpointID string, at time.Time) *webhook.Delivery {
	f.t.Helper()
	d, err := webhook.NewDelivery(newID(), endpointID, newID(), webhook.EventTagCreated,
		[]byte(`{"type":"tag.created","timestamp":"2025-03-01T12:00:00Z","data":{"slug":"go"}}`), at)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// inTx runs fn in a transaction and fails the test on error.
func (f *webhookFixture) inTx(fn func(ctx context.Context) error) {
	f.t.Helper()
	if err := f.h.Tx.Do(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

func endpointLifecycle(t *testing.T, f *webhookFixture) {
	repo := f.h.Endpoints
	e := f.endpoint(t0, webhook.EventTagDeleted, webhook.EventArticlePublished)
	got, err := repo.Get(f.ctx, e.ID())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.State(), e.State()) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got.State(), e.State())
	}
	for _, id := range []string{newID(), "not-a-uuid"} {
		if _, err := repo.Get(f.ctx, id); !errors.Is(err, webhook.ErrEndpointNotFound) {
			t.Fatalf("get %q: want webhook_not_found, got %v", id, err)
		}
	}

	desc := "cdn purge"
	if err := got.Update(webhook.EndpointChanges{Description: &desc}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	secret, _ := webhook.NewSecret(rand.Reader)
	if err := got.RotateSecret(secret, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := repo.Save(f.ctx, got, e.Version()); err != nil {
		t.Fatal(err)
	}
	if err := repo.Save(f.ctx, got, e.Version()); !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(got.Version()) {
		t.Fatalf("stale save: want version_conflict with current_version %d, got %v (%v)", got.Version(), err, currentVersionOf(err))
	}
	reloaded, err := repo.Get(f.ctx, e.ID())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(reloaded.State(), got.State()) || reloaded.Version() != 3 {
		t.Fatalf("after save:\n got %+v\nwant %+v", reloaded.State(), got.State())
	}
	gone := f.endpoint(t0)
	if err := repo.Delete(f.ctx, gone.ID()); err != nil {
		t.Fatal(err)
	}
	if err := repo.Save(f.ctx, gone, gone.Version()); !errors.Is(err, webhook.ErrEndpointNotFound) {
		t.Fatalf("save of a deleted endpoint: %v", err)
	}
	for _, id := range []string{gone.ID(), "not-a-uuid"} {
		if err := repo.Delete(f.ctx, id); !errors.Is(err, webhook.ErrEndpointNotFound) {
			t.Fatalf("delete %q: %v", id, err)
		}
	}

	// The list is in id order (UUIDv7: creation order), whatever the created_at an endpoint carries.
	second := f.endpoint(t0.Add(-time.Hour))
	list, err := repo.List(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID() != e.ID() || list[1].ID() != second.ID() {
		t.Fatalf("list: %d endpoints, want them in id order", len(list))
	}
}

func endpointPages(t *testing.T, f *webhookFixture) {
	repo := f.h.Endpoints
	var want []string
	for i := range 5 {
		want = append(want, f.endpoint(t0.Add(-time.Duration(i)*time.Minute)).ID())
	}
	ids := func(es []*webhook.Endpoint) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID())
		}
		return out
	}
	all, err := repo.List(f.ctx)
	if err != nil || !slices.Equal(ids(all), want) {
		t.Fatalf("list: %v, %v; want %v", ids(all), err, want)
	}
	page1, err := repo.ListPage(f.ctx, shared.IDPage{Limit: 2})
	if err != nil || !slices.Equal(ids(page1), want[:2]) {
		t.Fatalf("page 1: %v, %v; want %v", ids(page1), err, want[:2])
	}
	page2, err := repo.ListPage(f.ctx, shared.IDPage{AfterID: page1[1].ID(), Limit: 2})
	if err != nil || !slices.Equal(ids(page2), want[2:4]) {
		t.Fatalf("page 2: %v, %v; want %v", ids(page2), err, want[2:4])
	}
	last, err := repo.ListPage(f.ctx, shared.IDPage{AfterID: page2[1].ID(), Limit: 2})
	if err != nil || !slices.Equal(ids(last), want[4:]) {
		t.Fatalf("last page: %v, %v; want %v", ids(last), err, want[4:])
	}
	for _, after := range []string{want[4], "garbage"} {
		if page, err := repo.ListPage(f.ctx, shared.IDPage{AfterID: after, Limit: 2}); err != nil || len(page) != 0 {
			t.Fatalf("after %q: %v, %v", after, ids(page), err)
		}
	}
}

func endpointDeleteCascades(t *testing.T, f *webhookFixture) {
	e, other := f.endpoint(t0), f.endpoint(t0)
	d, kept := f.delivery(e.ID(), t0), f.delivery(other.ID(), t0)
	f.inTx(func(ctx context.Context) error { return f.h.Deliveries.Add(ctx, d, kept) })
	if err := f.h.Endpoints.Delete(f.ctx, e.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.h.Deliveries.Get(f.ctx, d.ID()); !errors.Is(err, webhook.ErrDeliveryNotFound) {
		t.Fatalf("delivery of a deleted endpoint: %v", err)
	}
	if _, err := f.h.Deliveries.Get(f.ctx, kept.ID()); err != nil {
		t.Fatalf("delivery of another endpoint: %v", err)
	}
}

func deliveryLifecycle(t *testing.T, f *webhookFixture) {
	repo := f.h.Deliveries
	e := f.endpoint(t0)
	d := f.delivery(e.ID(), t0)
	f.inTx(func(ctx context.Context) error { return repo.Add(ctx, d) })

	got, err := repo.Get(f.ctx, d.ID())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.State(), d.State()) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got.State(), d.State())
	}
	for _, id := range []string{newID(), "not-a-uuid"} {
		if _, err := repo.Get(f.ctx, id); !errors.Is(err, webhook.ErrDeliveryNotFound) {
			t.Fatalf("get %q: %v", id, err)
		}
	}

	schedule := []time.Duration{time.Minute}
	v := got.Version()
	fail := webhook.Attempt{At: t0.Add(time.Second), Duration: 1500 * time.Millisecond, Error: "dial tcp: connection refused"}
	if err := got.RecordFailure(fail, schedule, nil); err != nil {
		t.Fatal(err)
	}
	f.inTx(func(ctx context.Context) error { return repo.Save(ctx, got, v) })
	v = got.Version()
	ok := webhook.Attempt{At: t0.Add(2 * time.Minute), StatusCode: 200, Duration: 20 * time.Millisecond, ResponseBody: "thanks ✓"}
	if err := got.RecordSuccess(ok); err != nil {
		t.Fatal(err)
	}
	f.inTx(func(ctx context.Context) error { return repo.Save(ctx, got, v) })

	reloaded, err := repo.Get(f.ctx, d.ID())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(reloaded.State(), got.State()) {
		t.Fatalf("after two saves:\n got %+v\nwant %+v", reloaded.State(), got.State())
	}
	if reloaded.Status() != webhook.StatusDelivered || len(reloaded.Attempts()) != 2 || reloaded.Attempts()[0].StatusCode != 0 {
		t.Fatalf("reloaded: %s, attempts %+v", reloaded.Status(), reloaded.Attempts())
	}
	err = f.h.Tx.Do(f.ctx, func(ctx context.Context) error { return repo.Save(ctx, got, v) })
	if !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(got.Version()) {
		t.Fatalf("stale save: want version_conflict with current_version %d, got %v (%v)", got.Version(), err, currentVersionOf(err))
	}
	never := f.delivery(e.ID(), t0)
	if err := f.h.Tx.Do(f.ctx, func(ctx context.Context) error { return repo.Save(ctx, never, 1) }); !errors.Is(err, webhook.ErrDeliveryNotFound) {
		t.Fatalf("save of a delivery never stored: %v", err)
	}
}

func deliveryPages(t *testing.T, f *webhookFixture) {
	repo := f.h.Deliveries
	e, other := f.endpoint(t0), f.endpoint(t0)
	var ids []string
	for i := range 5 {
		d := f.delivery(e.ID(), t0.Add(time.Duration(i)*time.Second))
		ids = append(ids, d.ID())
		f.inTx(func(ctx context.Context) error { return repo.Add(ctx, d, f.delivery(other.ID(), t0)) })
	}
	page1, err := repo.ListByEndpoint(f.ctx, webhook.DeliveryQuery{EndpointID: e.ID(), Limit: 3})
	if err != nil || len(page1) != 3 {
		t.Fatalf("page 1: %d, %v", len(page1), err)
	}
	page2, err := repo.ListByEndpoint(f.ctx, webhook.DeliveryQuery{EndpointID: e.ID(), Limit: 3, Before: page1[2].ID()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range append(page1, page2...) {
		got = append(got, d.ID())
	}
	if want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}; !reflect.DeepEqual(got, want) {
		t.Fatalf("pages:\n got %v\nwant %v", got, want)
	}
	for _, q := range []webhook.DeliveryQuery{
		{EndpointID: "nope", Limit: 3}, {EndpointID: newID(), Limit: 3},
		{EndpointID: e.ID(), Limit: 3, Before: ids[0]}, {EndpointID: e.ID(), Limit: 3, Before: "garbage"},
	} {
		if ds, err := repo.ListByEndpoint(f.ctx, q); err != nil || len(ds) != 0 {
			t.Fatalf("deliveries of endpoint %q before %q: %d, %v", q.EndpointID, q.Before, len(ds), err)
		}
	}
}

func deliveryUnique(t *testing.T, f *webhookFixture) {
	repo := f.h.Deliveries
	e := f.endpoint(t0)
	d := f.delivery(e.ID(), t0)
	dup, err := webhook.NewDelivery(newID(), e.ID(), d.EventID(), d.EventType(), d.Payload(), t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.h.Tx.Do(f.ctx, func(ctx context.Context) error { return repo.Add(ctx, d, dup) }); err == nil {
		t.Fatal("a second delivery of one event to one endpoint was stored")
	}
	for _, id := range []string{d.ID(), dup.ID()} {
		if _, err := repo.Get(f.ctx, id); !errors.Is(err, webhook.ErrDeliveryNotFound) {
			t.Fatalf("a delivery of the refused batch was stored: %v", err)
		}
	}
	orphan := f.delivery(newID(), t0)
	if err := f.h.Tx.Do(f.ctx, func(ctx context.Context) error { return repo.Add(ctx, orphan) }); err == nil {
		t.Fatal("a delivery to an endpoint that does not exist was stored")
	}
}
