package webhook_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestRelayDeliversACommittedEventSignedToEverySubscriber(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		h := newHarness(t, db, 10*time.Millisecond)
		rc, url := newReceiver(t, 200)
		other, otherURL := newReceiver(t, 200)
		ep := h.endpoint(t, url+"/hook", true, webhook.EventTagCreated, webhook.EventTagDeleted)
		h.endpoint(t, otherURL+"/articles", true, webhook.EventArticlePublished)
		h.endpoint(t, otherURL+"/off", false, webhook.EventTagCreated)
		stop := h.start(t)
		m := h.publish(t, webhook.EventTagCreated)

		d := h.waitDelivery(t, ep.ID)
		stop()
		if d.Status != webhook.StatusDelivered || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != 200 || d.EventID != m.ID {
			t.Fatalf("delivery: %+v", d)
		}
		reqs := rc.got()
		if len(reqs) != 1 {
			t.Fatalf("receiver got %d requests", len(reqs))
		}
		verifyAll(t, ep.Secret, m, reqs)
		var body struct {
			Type      string            `json:"type"`
			Timestamp time.Time         `json:"timestamp"`
			Data      map[string]string `json:"data"`
		}
		if err := json.Unmarshal(reqs[0].body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Type != m.Type || !body.Timestamp.Equal(m.OccurredAt) || body.Data["slug"] != "go" || string(reqs[0].body) != string(d.Payload) {
			t.Fatalf("body %s", reqs[0].body)
		}
		if got := other.got(); len(got) != 0 {
			t.Fatalf("an unsubscribed or disabled endpoint got %d requests", len(got))
		}
		if c := h.metrics.counts(); c != [4]int{1, 0, 1, 0} {
			t.Fatalf("metrics success/failure/delivered/failed = %v", c)
		}
		if n := h.logs.Len(); n != 0 {
			t.Fatalf("a clean delivery logged %d warnings or errors: %v", n, h.logs.All())
		}
	})
}

func TestRelayRetriesUntilTheReceiverRecovers(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		h := newHarness(t, db, 10*time.Millisecond, 10*time.Millisecond, 10*time.Millisecond)
		rc, url := newReceiver(t, 500, 503, 204)
		ep := h.endpoint(t, url, true, webhook.EventTagUpdated)
		stop := h.start(t)
		m := h.publish(t, webhook.EventTagUpdated)

		d := h.waitDelivery(t, ep.ID)
		stop()
		if d.Status != webhook.StatusDelivered || d.AttemptCount != 3 {
			t.Fatalf("delivery: %s after %d attempts", d.Status, d.AttemptCount)
		}
		for i, want := range []int{500, 503, 204} {
			if a := d.Attempts[i]; a.StatusCode != want || (want != 204) == (a.Error == "") {
				t.Errorf("attempt %d: %+v, want status %d", i+1, a, want)
			}
		}
		if !d.Attempts[1].At.After(d.Attempts[0].At) || d.Attempts[0].ResponseBody != "Internal Server Error" {
			t.Errorf("attempts: %+v", d.Attempts)
		}
		reqs := rc.got()
		if len(reqs) != 3 {
			t.Fatalf("receiver got %d requests, want 3", len(reqs))
		}
		verifyAll(t, ep.Secret, m, reqs)
		if warns := h.logs.FilterLevelExact(zapcore.WarnLevel).Len(); warns != 2 || h.logs.Len() != 2 {
			t.Fatalf("want one warning per failed attempt (2) and nothing else, got %v", h.logs.All())
		}
		if c := h.metrics.counts(); c != [4]int{1, 2, 1, 0} {
			t.Fatalf("metrics success/failure/delivered/failed = %v", c)
		}
	})
}

func TestRelayTreatsARedirectAsAFailureAndGivesUpAfterTheLastRetry(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		h := newHarness(t, db, 10*time.Millisecond)
		rc, url := newReceiver(t, 200)
		ep := h.endpoint(t, url+"/moved", true, webhook.EventArticleDeleted)
		stop := h.start(t)
		h.publish(t, webhook.EventArticleDeleted)

		d := h.waitDelivery(t, ep.ID)
		stop()
		if d.Status != webhook.StatusFailed || d.AttemptCount != 2 || d.NextAttemptAt != nil {
			t.Fatalf("delivery: %s after %d attempts", d.Status, d.AttemptCount)
		}
		for _, a := range d.Attempts {
			if a.StatusCode != 307 || !strings.Contains(a.Error, "redirect") {
				t.Errorf("attempt: %+v", a)
			}
		}
		for _, r := range rc.got() {
			if r.path != "/moved" {
				t.Fatalf("the redirect was followed to %s", r.path)
			}
		}
		warns, errs := h.logs.FilterLevelExact(zapcore.WarnLevel), h.logs.FilterLevelExact(zapcore.ErrorLevel)
		if warns.Len() != 1 || errs.Len() != 1 || errs.All()[0].ContextMap()["delivery_id"] != d.ID {
			t.Fatalf("want a warning for the first attempt and an error for the last, got %v", h.logs.All())
		}
		if c := h.metrics.counts(); c != [4]int{0, 2, 0, 1} {
			t.Fatalf("metrics success/failure/delivered/failed = %v", c)
		}
	})
}

func TestTwoRelaysShareTheWorkWithoutDuplicates(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a, b := newHarness(t, db, 10*time.Millisecond), newHarness(t, db, 10*time.Millisecond)
		rc, url := newReceiver(t, 200)
		ep := a.endpoint(t, url, true, webhook.EventTagCreated)
		const events = 30
		sent := map[string]bool{}
		for range events {
			sent[a.publish(t, webhook.EventTagCreated).ID] = true
		}
		stopA, stopB := a.start(t), b.start(t)
		deadline := time.Now().Add(60 * time.Second) // only ends a hung test: a loaded 2-core machine needed over 15 s
		for !allDelivered(t, a, ep.ID, events) {
			if time.Now().After(deadline) {
				t.Fatal("the deliveries did not finish in time")
			}
			time.Sleep(10 * time.Millisecond)
		}
		stopA()
		stopB()
		seen := map[string]int{}
		for _, r := range rc.got() {
			seen[r.header.Get("webhook-id")]++
		}
		if len(seen) != events {
			t.Fatalf("received %d distinct events, want %d", len(seen), events)
		}
		for id, n := range seen {
			if n != 1 || !sent[id] {
				t.Fatalf("event %s received %d times (sent: %v)", id, n, sent[id])
			}
		}
		ca, cb := a.metrics.counts(), b.metrics.counts()
		if ca[2]+cb[2] != events {
			t.Fatalf("delivered by a: %d, by b: %d; want %d in all", ca[2], cb[2], events)
		}
	})
}

func allDelivered(t *testing.T, h *harness, endpointID string, n int) bool {
	t.Helper()
	page, err := h.svc.ListDeliveries(adminCtx, endpointID, listing.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	delivered := 0
	for _, d := range page.Items {
		if d.Status == webhook.StatusDelivered {
			delivered++
		}
	}
	return delivered == n
}
