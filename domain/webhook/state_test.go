package webhook_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/webhook"
)

func TestEndpointStateIsTheReverseOfRestoreEndpoint(t *testing.T) {
	t.Parallel()
	fresh := func() webhook.EndpointSnapshot {
		return webhook.EndpointSnapshot{
			ID: "e1", URL: "https://hooks.example.com/x", Events: []string{"tag.created", "tag.deleted"}, Enabled: true,
			Description: "cdn", Secret: testSecret(t), Version: 3, CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
		}
	}
	want := fresh()
	allSet(t, want)
	e := webhook.RestoreEndpoint(want)
	if got := e.State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("RestoreEndpoint(s).State():\n got %+v\nwant %+v", got, want)
	}
	want.Events[0] = "changed"
	e.State().Events[1] = "changed"
	if got := e.State(); !reflect.DeepEqual(got, fresh()) {
		t.Fatalf("the endpoint shares memory with a State: %+v", got)
	}
}

func TestDeliveryStateIsTheReverseOfRestoreDelivery(t *testing.T) {
	t.Parallel()
	fresh := func() webhook.DeliverySnapshot {
		return webhook.DeliverySnapshot{
			ID: "d1", EndpointID: "e1", EventID: "ev1", EventType: "tag.created", Payload: []byte(`{"a":1}`),
			Status: webhook.StatusPending, NextAttemptAt: t0.Add(time.Minute),
			Attempts: []webhook.Attempt{{At: t0, StatusCode: 500, Duration: time.Second, Error: "status 500", ResponseBody: "oops"}},
			Version:  2, CreatedAt: t0, UpdatedAt: t0,
		}
	}
	want := fresh()
	allSet(t, want)
	d := webhook.RestoreDelivery(want)
	if got := d.State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("RestoreDelivery(s).State():\n got %+v\nwant %+v", got, want)
	}
	want.Payload[0], want.Attempts[0].Error = 'x', "changed"
	out := d.State()
	out.Payload[1], out.Attempts[0].StatusCode = 'y', 200
	if got := d.State(); !reflect.DeepEqual(got, fresh()) {
		t.Fatalf("the delivery shares memory with a State: %+v", got)
	}
}

func allSet(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			t.Fatalf("the fixture leaves %s zero", rv.Type().Field(i).Name)
		}
	}
}
