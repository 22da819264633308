package persistence_test

import (
	"context"
	"crypto/rand"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestWebhookEndpointRepositoryContract(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		repo := persistence.NewWebhookEndpoints(db)
		e := addEndpoint(t, db, webhook.EventTagDeleted, webhook.EventArticlePublished)

		got, err := repo.Get(ctx, e.ID())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip:\n got %#v\nwant %#v", got, e)
		}
		for _, id := range []string{newID(), "not-a-uuid"} {
			if _, err := repo.Get(ctx, id); !errors.Is(err, webhook.ErrEndpointNotFound) {
				t.Fatalf("get %q: want webhook_not_found, got %v", id, err)
			}
		}

		desc := "cdn purge"
		if err := got.Update(webhook.EndpointChanges{Description: &desc}, wt0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		secret, _ := webhook.NewSecret(rand.Reader)
		if err := got.RotateSecret(secret, wt0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := repo.Save(ctx, got, e.Version()); err != nil {
			t.Fatal(err)
		}
		if err := repo.Save(ctx, got, e.Version()); !errors.Is(err, shared.ErrVersionConflict) || currentVersionOf(err) != int64(got.Version()) {
			t.Fatalf("stale save: want version_conflict with current_version %d, got %v (%v)", got.Version(), err, currentVersionOf(err))
		}
		reloaded, err := repo.Get(ctx, e.ID())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(reloaded, got) || reloaded.Version() != 3 {
			t.Fatalf("after save:\n got %#v\nwant %#v", reloaded, got)
		}
		unknown := addEndpoint(t, db)
		if err := repo.Delete(ctx, unknown.ID()); err != nil {
			t.Fatal(err)
		}
		if err := repo.Save(ctx, unknown, unknown.Version()); !errors.Is(err, webhook.ErrEndpointNotFound) {
			t.Fatalf("save of a deleted endpoint: %v", err)
		}

		second := addEndpoint(t, db)
		list, err := repo.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID() != e.ID() || list[1].ID() != second.ID() {
			t.Fatalf("list: %d endpoints", len(list))
		}
	})
}

func TestDeletingAnEndpointDeletesItsDeliveries(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		e := addEndpoint(t, db)
		d := newTestDelivery(t, e.ID(), wt0)
		deliveries := persistence.NewWebhookDeliveries(db)
		inTx(t, db, func(ctx context.Context) error { return deliveries.Add(ctx, d) })
		if err := persistence.NewWebhookEndpoints(db).Delete(ctx, e.ID()); err != nil {
			t.Fatal(err)
		}
		if err := persistence.NewWebhookEndpoints(db).Delete(ctx, e.ID()); !errors.Is(err, webhook.ErrEndpointNotFound) {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := deliveries.Get(ctx, d.ID()); !errors.Is(err, webhook.ErrDeliveryNotFound) {
			t.Fatalf("delivery of a deleted endpoint: %v", err)
		}
	})
}
