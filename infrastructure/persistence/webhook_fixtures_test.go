package persistence_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
)

// wt0 is a fixed instant with microseconds, which both databases must keep.
var wt0 = time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)

var newID = clock.NewUUIDv7().NewID

func addEndpoint(t *testing.T, db *persistence.DB, events ...string) *webhook.Endpoint {
	t.Helper()
	secret, err := webhook.NewSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 {
		events = []string{webhook.EventTagCreated}
	}
	e, err := webhook.NewEndpoint(newID(), webhook.EndpointSpec{
		URL: "https://hooks.example.com/" + newID(), Events: events, Enabled: true, Description: "test",
	}, secret, wt0)
	if err != nil {
		t.Fatal(err)
	}
	if err := persistence.NewWebhookEndpoints(db).Add(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func newTestDelivery(t *testing.T, endpointID string, at time.Time) *webhook.Delivery {
	t.Helper()
	d, err := webhook.NewDelivery(newID(), endpointID, newID(), webhook.EventTagCreated,
		[]byte(`{"type":"tag.created","timestamp":"2025-03-01T12:00:00Z","data":{"slug":"go"}}`), at)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// inTx runs fn in a transaction and fails the test on error.
func inTx(t *testing.T, db *persistence.DB, fn func(ctx context.Context) error) {
	t.Helper()
	if err := persistence.NewTxManager(db).Do(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
