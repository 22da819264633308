package webhook

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

const (
	// MaxDescription is the longest description, in characters.
	MaxDescription = 500
	// MaxURL is the longest target URL, in bytes.
	MaxURL = 2048
)

// Endpoint is a receiver of events: where to POST them, which types it wants and the secret that
// signs them.
type Endpoint struct {
	id          string
	url         string
	events      []string
	enabled     bool
	description string
	secret      Secret
	version     shared.Version
	createdAt   time.Time
	updatedAt   time.Time
}

// EndpointSpec is what an admin chooses about an endpoint.
type EndpointSpec struct {
	URL         string
	Events      []string
	Enabled     bool
	Description string
}

// EndpointChanges is a partial update: nil fields stay as they are.
type EndpointChanges struct {
	URL         *string
	Events      []string // nil = unchanged
	Enabled     *bool
	Description *string
}

// NewEndpoint validates spec and creates an endpoint at version 1.
func NewEndpoint(id string, spec EndpointSpec, secret Secret, now time.Time) (*Endpoint, error) {
	spec.URL = strings.TrimSpace(spec.URL)
	spec.Events = normalizeEvents(spec.Events)
	if err := validateSpec(spec); err != nil {
		return nil, err
	}
	if id == "" || secret.IsZero() {
		return nil, shared.New(shared.KindInternal, "webhook_invalid", "an endpoint needs an id and a secret")
	}
	return &Endpoint{
		id: id, url: spec.URL, events: spec.Events, enabled: spec.Enabled, description: spec.Description,
		secret: secret, version: 1, createdAt: now, updatedAt: now,
	}, nil
}

// EndpointSnapshot is an endpoint as stored; RestoreEndpoint rebuilds it without creation rules.
type EndpointSnapshot struct {
	ID          string
	URL         string
	Events      []string
	Enabled     bool
	Description string
	Secret      Secret
	Version     shared.Version
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RestoreEndpoint rebuilds a stored endpoint.
func RestoreEndpoint(s EndpointSnapshot) *Endpoint {
	return &Endpoint{
		id: s.ID, url: s.URL, events: slices.Clone(s.Events), enabled: s.Enabled, description: s.Description,
		secret: s.Secret, version: s.Version, createdAt: s.CreatedAt, updatedAt: s.UpdatedAt,
	}
}

// State is the reverse of RestoreEndpoint: the endpoint as storage keeps it. It shares no slice
// with the endpoint.
func (e *Endpoint) State() EndpointSnapshot {
	return EndpointSnapshot{
		ID: e.id, URL: e.url, Events: slices.Clone(e.events), Enabled: e.enabled, Description: e.description,
		Secret: e.secret, Version: e.version, CreatedAt: e.createdAt, UpdatedAt: e.updatedAt,
	}
}

// Update applies the non-nil changes after validating the result; a change that changes nothing
// keeps the version.
func (e *Endpoint) Update(ch EndpointChanges, now time.Time) error {
	spec := e.Spec()
	if ch.URL != nil {
		spec.URL = strings.TrimSpace(*ch.URL)
	}
	if ch.Events != nil {
		spec.Events = normalizeEvents(ch.Events)
	}
	if ch.Enabled != nil {
		spec.Enabled = *ch.Enabled
	}
	if ch.Description != nil {
		spec.Description = *ch.Description
	}
	if err := validateSpec(spec); err != nil {
		return err
	}
	if spec.URL == e.url && slices.Equal(spec.Events, e.events) && spec.Enabled == e.enabled &&
		spec.Description == e.description {
		return nil
	}
	e.url, e.events, e.enabled, e.description = spec.URL, spec.Events, spec.Enabled, spec.Description
	e.touch(now)
	return nil
}

// RotateSecret replaces the signing secret; deliveries sent from now on use the new one.
func (e *Endpoint) RotateSecret(s Secret, now time.Time) error {
	if s.IsZero() {
		return shared.New(shared.KindInternal, "webhook_invalid", "a rotated secret must not be empty")
	}
	e.secret = s
	e.touch(now)
	return nil
}

// Accepts reports whether the endpoint wants a new event of type t: it is enabled and subscribed.
func (e *Endpoint) Accepts(t string) bool { return e.enabled && slices.Contains(e.events, t) }

func (e *Endpoint) touch(now time.Time) {
	e.version++
	e.updatedAt = now
}

// Spec returns the admin-chosen settings.
func (e *Endpoint) Spec() EndpointSpec {
	return EndpointSpec{URL: e.url, Events: slices.Clone(e.events), Enabled: e.enabled, Description: e.description}
}

func (e *Endpoint) ID() string              { return e.id }
func (e *Endpoint) URL() string             { return e.url }
func (e *Endpoint) Events() []string        { return slices.Clone(e.events) }
func (e *Endpoint) Enabled() bool           { return e.enabled }
func (e *Endpoint) Description() string     { return e.description }
func (e *Endpoint) Secret() Secret          { return e.secret }
func (e *Endpoint) Version() shared.Version { return e.version }
func (e *Endpoint) CreatedAt() time.Time    { return e.createdAt }
func (e *Endpoint) UpdatedAt() time.Time    { return e.updatedAt }

// normalizeEvents sorts and deduplicates, so equal subscriptions compare equal.
func normalizeEvents(events []string) []string {
	out := make([]string, 0, len(events))
	for _, ev := range events {
		out = append(out, strings.TrimSpace(ev))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func validateSpec(s EndpointSpec) error {
	var v shared.Validator
	if msg := checkURL(s.URL); msg != "" {
		v.Add("url", msg)
	}
	v.Check(len(s.Events) > 0, "events", "subscribe to at least one event type")
	for _, ev := range s.Events {
		v.Check(IsEventType(ev), "events", "unknown event type "+quote(ev)+"; known: "+strings.Join(EventTypes, ", "))
	}
	v.Check(utf8.RuneCountInString(s.Description) <= MaxDescription, "description", "must be at most 500 characters")
	return v.Err()
}

// checkURL checks the shape of a target URL; whether its host may be called is the SSRF guard's job.
func checkURL(raw string) string {
	if raw == "" {
		return "is required"
	}
	if len(raw) > MaxURL {
		return "must be at most 2048 bytes"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a valid URL"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "must be an http or https URL"
	}
	if u.Hostname() == "" {
		return "must name a host"
	}
	return ""
}

func quote(s string) string { return `"` + s + `"` }
