package webhook_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

var schedule = []time.Duration{5 * time.Second, 30 * time.Second}

func newDelivery(t *testing.T) *webhook.Delivery {
	t.Helper()
	d, err := webhook.NewDelivery("d-1", "e-1", "ev-1", "tag.created", []byte(`{"type":"tag.created"}`), t0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func failed(at time.Time, code int) webhook.Attempt {
	return webhook.Attempt{At: at, StatusCode: code, Duration: time.Millisecond, Error: "status 500"}
}

func TestNewDeliveryIsPendingAndDueNow(t *testing.T) {
	t.Parallel()
	d := newDelivery(t)
	if d.Status() != webhook.StatusPending || !d.NextAttemptAt().Equal(t0) || d.AttemptCount() != 0 || d.Version() != 1 {
		t.Fatalf("new delivery: %s next %v attempts %d v%d", d.Status(), d.NextAttemptAt(), d.AttemptCount(), d.Version())
	}
	if _, err := webhook.NewDelivery("d", "e", "ev", "tag.created", nil, t0); err == nil {
		t.Fatal("a delivery without payload must be refused")
	}
}

func TestRecordFailureFollowsTheScheduleThenFails(t *testing.T) {
	t.Parallel()
	d := newDelivery(t)
	double := func(d time.Duration) time.Duration { return 2 * d }
	at1 := t0.Add(time.Second)
	if err := d.RecordFailure(failed(at1, 500), schedule, double); err != nil {
		t.Fatal(err)
	}
	if d.Status() != webhook.StatusPending || !d.NextAttemptAt().Equal(at1.Add(10*time.Second)) {
		t.Fatalf("after 1st failure: %s next %v", d.Status(), d.NextAttemptAt())
	}
	at2 := at1.Add(time.Minute)
	if err := d.RecordFailure(failed(at2, 0), schedule, nil); err != nil {
		t.Fatal(err)
	}
	if !d.NextAttemptAt().Equal(at2.Add(30 * time.Second)) {
		t.Fatalf("after 2nd failure: next %v", d.NextAttemptAt())
	}
	if err := d.RecordFailure(failed(at2.Add(time.Hour), 502), schedule, nil); err != nil {
		t.Fatal(err)
	}
	if d.Status() != webhook.StatusFailed || !d.NextAttemptAt().IsZero() || !d.Final() {
		t.Fatalf("after the last failure: %s next %v", d.Status(), d.NextAttemptAt())
	}
	if d.AttemptCount() != 3 || d.Attempts()[2].StatusCode != 502 || d.Version() != 4 {
		t.Fatalf("attempts %d, version %d", d.AttemptCount(), d.Version())
	}
	if err := d.RecordFailure(failed(at2, 500), schedule, nil); !errors.Is(err, shared.ErrInvalidTransition) {
		t.Fatalf("recording on a failed delivery: %v", err)
	}
}

func TestRecordSuccessDeliversAndCutsTheResponseBody(t *testing.T) {
	t.Parallel()
	d := newDelivery(t)
	if err := d.RecordSuccess(failed(t0, 500)); !errors.Is(err, shared.ErrInvalidTransition) {
		t.Fatalf("a failed attempt recorded as success: %v", err)
	}
	body := strings.Repeat("a", 1023) + "é" + strings.Repeat("b", 100)
	ok := webhook.Attempt{At: t0.Add(time.Second), StatusCode: 204, Duration: 3 * time.Millisecond, ResponseBody: body}
	if err := d.RecordFailure(ok, schedule, nil); err == nil {
		t.Fatal("a successful attempt recorded as failure")
	}
	if err := d.RecordSuccess(ok); err != nil {
		t.Fatal(err)
	}
	if d.Status() != webhook.StatusDelivered || !d.NextAttemptAt().IsZero() {
		t.Fatalf("after success: %s next %v", d.Status(), d.NextAttemptAt())
	}
	if got := d.Attempts()[0].ResponseBody; got != strings.Repeat("a", 1023) {
		t.Fatalf("kept %d bytes of the body, want 1023 (no split character)", len(got))
	}
}

func TestRedeliverQueuesAFinishedDeliveryOnce(t *testing.T) {
	t.Parallel()
	d := newDelivery(t)
	if err := d.Redeliver(t0); !errors.Is(err, webhook.ErrDeliveryPending) {
		t.Fatalf("redeliver a pending delivery: %v", err)
	}
	for i := range 3 {
		if err := d.RecordFailure(failed(t0.Add(time.Duration(i)*time.Minute), 500), schedule, nil); err != nil {
			t.Fatal(err)
		}
	}
	now := t0.Add(48 * time.Hour)
	if err := d.Redeliver(now); err != nil {
		t.Fatal(err)
	}
	if d.Status() != webhook.StatusPending || !d.NextAttemptAt().Equal(now) || d.EventID() != "ev-1" {
		t.Fatalf("after redeliver: %s next %v", d.Status(), d.NextAttemptAt())
	}
	if err := d.RecordFailure(failed(now, 500), schedule, nil); err != nil {
		t.Fatal(err)
	}
	if d.Status() != webhook.StatusFailed || d.AttemptCount() != 4 {
		t.Fatalf("a failed redelivery: %s with %d attempts", d.Status(), d.AttemptCount())
	}
}
