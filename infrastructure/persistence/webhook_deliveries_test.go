package persistence_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestWebhookDeliveryRepositoryContract(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo := persistence.NewWebhookDeliveries(db)
		e := addEndpoint(t, db)
		d := newTestDelivery(t, e.ID(), wt0)
		inTx(t, db, func(ctx context.Context) error { return repo.Add(ctx, d) })

		got, err := repo.Get(ctx, d.ID())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", got, d)
		}
		if _, err := repo.Get(ctx, newID()); !errors.Is(err, webhook.ErrDeliveryNotFound) {
			t.Fatalf("unknown id: %v", err)
		}

		schedule := []time.Duration{time.Minute}
		v := got.Version()
		fail := webhook.Attempt{At: wt0.Add(time.Second), Duration: 1500 * time.Millisecond, Error: "dial tcp: connection refused"}
		if err := got.RecordFailure(fail, schedule, nil); err != nil {
			t.Fatal(err)
		}
		inTx(t, db, func(ctx context.Context) error { return repo.Save(ctx, got, v) })
		v = got.Version()
		ok := webhook.Attempt{At: wt0.Add(2 * time.Minute), StatusCode: 200, Duration: 20 * time.Millisecond, ResponseBody: "thanks ✓"}
		if err := got.RecordSuccess(ok); err != nil {
			t.Fatal(err)
		}
		inTx(t, db, func(ctx context.Context) error { return repo.Save(ctx, got, v) })

		reloaded, err := repo.Get(ctx, d.ID())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(reloaded, got) {
			t.Fatalf("after two saves:\n got %#v\nwant %#v", reloaded, got)
		}
		if reloaded.Status() != webhook.StatusDelivered || len(reloaded.Attempts()) != 2 || reloaded.Attempts()[0].StatusCode != 0 {
			t.Fatalf("reloaded: %s, attempts %+v", reloaded.Status(), reloaded.Attempts())
		}
		err = persistence.NewTxManager(db).Do(ctx, func(ctx context.Context) error { return repo.Save(ctx, got, v) })
		if !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(got.Version()) {
			t.Fatalf("stale save: want version_conflict with current_version %d, got %v (%v)", got.Version(), err, currentVersionOf(err))
		}
	})
}

func TestListDeliveriesByEndpointPagesNewestFirst(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo := persistence.NewWebhookDeliveries(db)
		e, other := addEndpoint(t, db), addEndpoint(t, db)
		var ids []string
		for i := range 5 {
			d := newTestDelivery(t, e.ID(), wt0.Add(time.Duration(i)*time.Second))
			ids = append(ids, d.ID())
			inTx(t, db, func(ctx context.Context) error { return repo.Add(ctx, d, newTestDelivery(t, other.ID(), wt0)) })
		}
		page1, err := repo.ListByEndpoint(ctx, webhook.DeliveryQuery{EndpointID: e.ID(), Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		page2, err := repo.ListByEndpoint(ctx, webhook.DeliveryQuery{EndpointID: e.ID(), Limit: 3, Before: page1[2].ID()})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range append(page1, page2...) {
			got = append(got, d.ID())
		}
		want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("pages:\n got %v\nwant %v", got, want)
		}
		if ds, err := repo.ListByEndpoint(ctx, webhook.DeliveryQuery{EndpointID: "nope", Limit: 3}); err != nil || len(ds) != 0 {
			t.Fatalf("malformed endpoint id: %d, %v", len(ds), err)
		}
	})
}

func TestAnEventIsDeliveredOncePerEndpoint(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		repo := persistence.NewWebhookDeliveries(db)
		e := addEndpoint(t, db)
		d := newTestDelivery(t, e.ID(), wt0)
		dup, err := webhook.NewDelivery(newID(), e.ID(), d.EventID(), d.EventType(), d.Payload(), wt0)
		if err != nil {
			t.Fatal(err)
		}
		err = persistence.NewTxManager(db).Do(context.Background(), func(ctx context.Context) error { return repo.Add(ctx, d, dup) })
		if _, ok := persistence.UniqueViolation(err); !ok {
			t.Fatalf("a second delivery of one event to one endpoint: want a unique violation, got %v", err)
		}
	})
}
