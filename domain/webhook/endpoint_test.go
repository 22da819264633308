package webhook_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func testSecret(t *testing.T) webhook.Secret {
	t.Helper()
	s, err := webhook.NewSecret(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validSpec() webhook.EndpointSpec {
	return webhook.EndpointSpec{URL: "https://hooks.example.com/inkwell", Events: []string{"tag.created"}, Enabled: true}
}

func fieldsOf(err error) map[string]string {
	var e *shared.Error
	if !errors.As(err, &e) {
		return nil
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Message
	}
	return out
}

func TestNewEndpointValidatesItsSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(*webhook.EndpointSpec)
		field  string // "" = valid
	}{
		{"valid", func(*webhook.EndpointSpec) {}, ""},
		{"http is fine", func(s *webhook.EndpointSpec) { s.URL = "http://hooks.example.com" }, ""},
		{"missing url", func(s *webhook.EndpointSpec) { s.URL = " " }, "url"},
		{"ftp url", func(s *webhook.EndpointSpec) { s.URL = "ftp://example.com/x" }, "url"},
		{"no host", func(s *webhook.EndpointSpec) { s.URL = "https:///path" }, "url"},
		{"not a url", func(s *webhook.EndpointSpec) { s.URL = "http://exa mple.com/%zz" }, "url"},
		{"too long url", func(s *webhook.EndpointSpec) { s.URL = "https://e.com/" + strings.Repeat("a", 2048) }, "url"},
		{"no events", func(s *webhook.EndpointSpec) { s.Events = nil }, "events"},
		{"unknown event", func(s *webhook.EndpointSpec) { s.Events = []string{"tag.created", "user.created"} }, "events"},
		{"500 characters", func(s *webhook.EndpointSpec) { s.Description = strings.Repeat("é", 500) }, ""},
		{"501 characters", func(s *webhook.EndpointSpec) { s.Description = strings.Repeat("é", 501) }, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec := validSpec()
			tt.modify(&spec)
			e, err := webhook.NewEndpoint("id-1", spec, testSecret(t), t0)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if e.Version() != 1 || !e.CreatedAt().Equal(t0) {
					t.Fatalf("new endpoint: version %d created %v", e.Version(), e.CreatedAt())
				}
				return
			}
			if shared.KindOf(err) != shared.KindInvalid {
				t.Fatalf("want a validation error, got %v", err)
			}
			if _, ok := fieldsOf(err)[tt.field]; !ok {
				t.Fatalf("want an error on %q, got %v", tt.field, fieldsOf(err))
			}
		})
	}
}

func TestEndpointNormalizesEventsAndAcceptsOnlyWhenEnabled(t *testing.T) {
	t.Parallel()
	spec := validSpec()
	spec.Events = []string{"tag.updated", " article.published", "tag.updated"}
	e, err := webhook.NewEndpoint("id-1", spec, testSecret(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.Events(), ","); got != "article.published,tag.updated" {
		t.Fatalf("events = %s", got)
	}
	if !e.Accepts("tag.updated") || e.Accepts("tag.deleted") {
		t.Fatal("Accepts must follow the subscription")
	}
	off := false
	if err := e.Update(webhook.EndpointChanges{Enabled: &off}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if e.Accepts("tag.updated") {
		t.Fatal("a disabled endpoint accepts nothing")
	}
}

func TestEndpointUpdateMergesValidatesAndBumpsTheVersionOnlyOnChange(t *testing.T) {
	t.Parallel()
	e, err := webhook.NewEndpoint("id-1", validSpec(), testSecret(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	t1 := t0.Add(time.Hour)
	desc := "search index"
	if err := e.Update(webhook.EndpointChanges{Description: &desc}, t1); err != nil {
		t.Fatal(err)
	}
	if e.Version() != 2 || e.Description() != desc || e.URL() != validSpec().URL || !e.UpdatedAt().Equal(t1) {
		t.Fatalf("after update: v%d %q %q %v", e.Version(), e.Description(), e.URL(), e.UpdatedAt())
	}
	if err := e.Update(webhook.EndpointChanges{Description: &desc}, t1.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if e.Version() != 2 {
		t.Fatalf("a no-op update bumped the version to %d", e.Version())
	}
	bad := "gopher://x"
	err = e.Update(webhook.EndpointChanges{URL: &bad, Events: []string{}}, t1)
	f := fieldsOf(err)
	if _, ok := f["url"]; !ok {
		t.Fatalf("want url error, got %v", err)
	}
	if _, ok := f["events"]; !ok {
		t.Fatalf("an explicit empty event list must be refused, got %v", err)
	}
	if e.URL() != validSpec().URL || e.Version() != 2 {
		t.Fatal("a refused update changed the endpoint")
	}
}

func TestRotateSecretReplacesTheKey(t *testing.T) {
	t.Parallel()
	e, err := webhook.NewEndpoint("id-1", validSpec(), testSecret(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	next, err := webhook.NewSecret(bytes.NewReader(bytes.Repeat([]byte{9}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.RotateSecret(next, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if e.Secret().Reveal() != next.Reveal() || e.Version() != 2 {
		t.Fatalf("rotate: secret %v version %d", e.Secret(), e.Version())
	}
	if err := e.RotateSecret(webhook.Secret{}, t0); err == nil {
		t.Fatal("an empty secret must be refused")
	}
}

func TestEndpointErrorsHaveStableCodes(t *testing.T) {
	t.Parallel()
	err := webhook.URLRefused("resolves to a loopback address")
	if err.Code != "webhook_url_refused" || shared.KindOf(err) != shared.KindInvalid || err.Fields[0].Field != "url" {
		t.Fatalf("URLRefused = %+v", err)
	}
	if webhook.ErrEndpointNotFound.Code != "webhook_not_found" || webhook.ErrDeliveryNotFound.Code != "delivery_not_found" {
		t.Fatal("not-found codes changed")
	}
}
