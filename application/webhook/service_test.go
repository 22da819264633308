package webhook_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/listing"
	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	svc        *webhookapp.Service
	db         *memstore.DB
	endpoints  *memstore.Endpoints
	deliveries *memstore.Deliveries
	guard      *fakeGuard
}

func newFixture() fixture {
	db := memstore.New()
	f := fixture{db: db, endpoints: db.Endpoints(), deliveries: db.Deliveries(), guard: &fakeGuard{refused: map[string]bool{"internal.example": true}}}
	f.svc = webhookapp.NewService(db, f.endpoints, f.deliveries, f.guard, apptest.NewClock(now), &apptest.IDs{})
	return f
}

// stored reads the rows of an endpoint and a delivery as the database holds them.
func (f fixture) storedEndpoint(id string) (s webhook.EndpointSnapshot) {
	f.db.View(func(t memstore.Tables) { s = t.Endpoints[id] })
	return s
}

func (f fixture) endpointCount() (n int) {
	f.db.View(func(t memstore.Tables) { n = len(t.Endpoints) })
	return n
}

func (f fixture) storedDelivery(id string) (s webhook.DeliverySnapshot) {
	f.db.View(func(t memstore.Tables) { s = t.Deliveries[id] })
	return s
}

func admin() context.Context {
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: "u1", Role: identity.RoleAdmin, TokenID: "t1"})
}

func create(t *testing.T, f fixture) webhookapp.EndpointWithSecret {
	t.Helper()
	e, err := f.svc.Create(admin(), webhookapp.CreateEndpoint{URL: "https://hooks.example.com/in", Events: []string{"tag.created", "article.published"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOnlyAdminsManageWebhooks(t *testing.T) {
	t.Parallel()
	ctxOf := func(p authz.Principal) context.Context { return authz.WithPrincipal(context.Background(), p) }
	tests := []struct {
		name      string
		ctx       context.Context
		readErr   error
		writeErr  error
		writeKind shared.Kind
	}{
		{"anonymous", context.Background(), shared.ErrUnauthorized, shared.ErrUnauthorized, shared.KindUnauthenticated},
		{"editor", ctxOf(authz.Principal{Role: identity.RoleEditor}), shared.ErrForbidden, shared.ErrForbidden, shared.KindDenied},
		{"viewer", ctxOf(authz.Principal{Role: identity.RoleViewer}), shared.ErrForbidden, shared.ErrForbidden, shared.KindDenied},
		{"read-only admin", ctxOf(authz.Principal{Role: identity.RoleAdmin, ReadOnly: true}), nil, shared.ErrForbidden, shared.KindDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture()
			ep := create(t, f)
			if _, err := f.svc.List(tt.ctx, listing.FirstPage()); !errors.Is(err, tt.readErr) {
				t.Fatalf("List: want %v, got %v", tt.readErr, err)
			}
			writes := map[string]error{}
			_, writes["create"] = f.svc.Create(tt.ctx, webhookapp.CreateEndpoint{URL: "https://a.example.com", Events: []string{"tag.created"}})
			_, writes["rotate"] = f.svc.RotateSecret(tt.ctx, ep.ID)
			writes["delete"] = f.svc.Delete(tt.ctx, ep.ID, nil)
			for name, err := range writes {
				if !errors.Is(err, tt.writeErr) || shared.KindOf(err) != tt.writeKind {
					t.Errorf("%s: want %v, got %v", name, tt.writeErr, err)
				}
			}
			if f.endpointCount() != 1 {
				t.Fatalf("a refused write changed the store: %d endpoints", f.endpointCount())
			}
		})
	}
}

func TestCreateReturnsTheSecretOnceAndDefaultsToEnabled(t *testing.T) {
	t.Parallel()
	f := newFixture()
	e := create(t, f)
	if !strings.HasPrefix(e.Secret, "whsec_") || !e.Enabled || e.Version != 1 || !e.CreatedAt.Equal(now) {
		t.Fatalf("created: %+v", e)
	}
	if strings.Join(e.Events, ",") != "article.published,tag.created" {
		t.Fatalf("events: %v", e.Events)
	}
	if f.storedEndpoint(e.ID).Secret.Reveal() != e.Secret {
		t.Fatal("the returned secret is not the stored one")
	}
	got, err := f.svc.Get(admin(), e.ID)
	if err != nil || got.ID != e.ID || got.URL != "https://hooks.example.com/in" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	off := false
	disabled, err := f.svc.Create(admin(), webhookapp.CreateEndpoint{URL: "https://b.example.com", Events: []string{"tag.deleted"}, Enabled: &off})
	if err != nil || disabled.Enabled {
		t.Fatalf("explicitly disabled: %+v, %v", disabled, err)
	}
}

func TestCreateRefusesInvalidAndInternalTargets(t *testing.T) {
	t.Parallel()
	f := newFixture()
	_, err := f.svc.Create(admin(), webhookapp.CreateEndpoint{URL: "https://internal.example/hook", Events: []string{"tag.created"}})
	var e *shared.Error
	if !errors.As(err, &e) || e.Code != webhook.URLRefusedCode || e.Fields[0].Field != "url" {
		t.Fatalf("internal target: %v", err)
	}
	_, err = f.svc.Create(admin(), webhookapp.CreateEndpoint{URL: "ftp://x", Events: nil})
	if shared.KindOf(err) != shared.KindInvalid || len(f.guard.checked) != 1 {
		t.Fatalf("invalid input must fail validation before any DNS lookup: %v, checked %v", err, f.guard.checked)
	}
	if f.endpointCount() != 0 {
		t.Fatal("a refused endpoint was stored")
	}
}

func TestUpdateNeedsTheCurrentVersionAndMerges(t *testing.T) {
	t.Parallel()
	f := newFixture()
	e := create(t, f)
	desc := "search index"
	if _, err := f.svc.Update(admin(), e.ID, 0, webhookapp.UpdateEndpoint{Description: &desc}); !errors.Is(err, shared.ErrPreconditionRequired) {
		t.Fatalf("no If-Match: %v", err)
	}
	_, err := f.svc.Update(admin(), e.ID, 7, webhookapp.UpdateEndpoint{Description: &desc})
	var se *shared.Error
	if !errors.As(err, &se) || se.Code != "version_conflict" || se.Details["current_version"] != int64(1) {
		t.Fatalf("stale If-Match: %v", err)
	}
	got, err := f.svc.Update(admin(), e.ID, 1, webhookapp.UpdateEndpoint{Description: &desc, Events: []string{"tag.deleted"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Description != desc || got.URL != e.URL || strings.Join(got.Events, ",") != "tag.deleted" {
		t.Fatalf("merged: %+v", got)
	}
	if len(f.guard.checked) != 1 {
		t.Fatalf("the guard ran without a URL change: %v", f.guard.checked)
	}
	bad := "https://internal.example/x"
	if _, err := f.svc.Update(admin(), e.ID, 2, webhookapp.UpdateEndpoint{URL: &bad}); shared.KindOf(err) != shared.KindInvalid {
		t.Fatalf("internal URL on update: %v", err)
	}
	if _, err := f.svc.Update(admin(), "nope", 1, webhookapp.UpdateEndpoint{Description: &desc}); !errors.Is(err, webhook.ErrEndpointNotFound) {
		t.Fatalf("unknown endpoint: %v", err)
	}
}

func TestRotateSecretAndDelete(t *testing.T) {
	t.Parallel()
	f := newFixture()
	e := create(t, f)
	rotated, err := f.svc.RotateSecret(admin(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.Secret == e.Secret || rotated.Version != 2 || f.storedEndpoint(e.ID).Secret.Reveal() != rotated.Secret {
		t.Fatalf("rotate: %+v", rotated)
	}
	stale := shared.Version(1)
	err = f.svc.Delete(admin(), e.ID, &stale)
	var de *shared.Error
	if !errors.As(err, &de) || de.Code != "version_conflict" || de.Details["current_version"] != int64(2) {
		t.Fatalf("delete with a stale If-Match: %v", err)
	}
	if _, err := f.svc.Get(admin(), e.ID); err != nil {
		t.Fatalf("a refused delete removed the endpoint: %v", err)
	}
	current := rotated.Version
	if err := f.svc.Delete(admin(), e.ID, &current); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(admin(), e.ID); !errors.Is(err, webhook.ErrEndpointNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := f.svc.Delete(admin(), e.ID, nil); !errors.Is(err, webhook.ErrEndpointNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	if err := f.svc.Delete(admin(), e.ID, &current); !errors.Is(err, webhook.ErrEndpointNotFound) {
		t.Fatalf("conditional delete of a deleted endpoint: %v", err)
	}
}

func addDeliveries(t *testing.T, f fixture, endpointID string, n int) []*webhook.Delivery {
	t.Helper()
	var out []*webhook.Delivery
	for i := range n {
		d, err := webhook.NewDelivery(strings.Replace("00000000-0000-7000-9000-00000000000X", "X", string(rune('a'+i)), 1),
			endpointID, "ev-"+string(rune('a'+i)), "tag.created", []byte(`{}`), now) // an event reaches an endpoint once
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	if err := f.deliveries.Add(context.Background(), out...); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestListDeliveriesPagesWithACursor(t *testing.T) {
	t.Parallel()
	f := newFixture()
	e := create(t, f)
	ds := addDeliveries(t, f, e.ID, 3)
	p1, err := f.svc.ListDeliveries(admin(), e.ID, listing.Request{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Items) != 2 || p1.Items[0].ID != ds[2].ID() || p1.NextCursor == nil || p1.NextCursor.ID != ds[1].ID() || p1.NextCursor.Order != webhookapp.DeliveryOrder {
		t.Fatalf("page 1: %d items, cursor %+v", len(p1.Items), p1.NextCursor)
	}
	if p1.Items[0].NextAttemptAt == nil || p1.Items[0].Status != webhook.StatusPending {
		t.Fatalf("a pending delivery shows its next attempt: %+v", p1.Items[0])
	}
	p2, err := f.svc.ListDeliveries(admin(), e.ID, listing.Request{Limit: 2, After: p1.NextCursor})
	if err != nil || len(p2.Items) != 1 || p2.Items[0].ID != ds[0].ID() || p2.NextCursor != nil || p2.HasMore {
		t.Fatalf("page 2: %+v, %v", p2, err)
	}
	if _, err := f.svc.ListDeliveries(admin(), "nope", listing.FirstPage()); !errors.Is(err, webhook.ErrEndpointNotFound) {
		t.Fatalf("unknown endpoint: %v", err)
	}
}

func TestRedeliverQueuesAFinishedDeliveryOfThatEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture()
	e, other := create(t, f), create(t, f)
	d := addDeliveries(t, f, e.ID, 1)[0]
	if _, err := f.svc.Redeliver(admin(), e.ID, d.ID()); !errors.Is(err, webhook.ErrDeliveryPending) {
		t.Fatalf("redeliver a pending delivery: %v", err)
	}
	v := d.Version()
	if err := d.RecordFailure(webhook.Attempt{At: now, StatusCode: 500, Error: "status 500"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.deliveries.Save(context.Background(), d, v); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Redeliver(admin(), other.ID, d.ID()); !errors.Is(err, webhook.ErrDeliveryNotFound) {
		t.Fatalf("a delivery of another endpoint: %v", err)
	}
	got, err := f.svc.Redeliver(admin(), e.ID, d.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != webhook.StatusPending || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(now) || len(got.Attempts) != 1 {
		t.Fatalf("redelivered: %+v", got)
	}
	if f.storedDelivery(d.ID()).Status != webhook.StatusPending {
		t.Fatal("the redelivery was not saved")
	}
}
