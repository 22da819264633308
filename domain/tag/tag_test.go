package tag_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

var (
	created = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	later   = created.Add(time.Hour)
)

func ptr(s string) *string { return &s }

// fieldsOf returns the fields named by a validation error, or nil for any other error.
func fieldsOf(err error) []string {
	var e *shared.Error
	if !errors.As(err, &e) || e.Kind != shared.KindInvalid {
		return nil
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	return fields
}

func eventTypes(events []shared.Event) []string {
	var types []string
	for _, e := range events {
		types = append(types, e.Type)
	}
	return types
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		tagName     string
		slug        string
		description string
		wantName    string
		wantSlug    string
		wantFields  []string
	}{
		{name: "derives the slug from the name", tagName: "Go Programming", wantName: "Go Programming", wantSlug: "go-programming"},
		{name: "transliterates the derived slug", tagName: "Café Société", wantName: "Café Société", wantSlug: "cafe-societe"},
		{name: "keeps an explicit slug", tagName: "Go", slug: "golang", wantName: "Go", wantSlug: "golang"},
		{name: "trims the name", tagName: "  Go  ", wantName: "Go", wantSlug: "go"},
		{name: "accepts a 100-character name", tagName: strings.Repeat("é", 100), wantName: strings.Repeat("é", 100), wantSlug: strings.Repeat("e", 100)},
		{name: "rejects an empty name", tagName: "   ", wantFields: []string{"name", "slug"}},
		{name: "rejects a 101-character name", tagName: strings.Repeat("a", 101), wantFields: []string{"name"}},
		{name: "rejects control characters", tagName: "Go\nLang", wantFields: []string{"name"}},
		{name: "rejects a malformed slug", tagName: "Go", slug: "Go Lang", wantFields: []string{"slug"}},
		{name: "rejects an underivable slug", tagName: "???", wantFields: []string{"slug"}},
		{name: "rejects a long description", tagName: "Go", description: strings.Repeat("a", 501), wantFields: []string{"description"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tag.New("t1", tt.tagName, tt.slug, tt.description, created)
			if tt.wantFields != nil {
				if fields := fieldsOf(err); strings.Join(fields, ",") != strings.Join(tt.wantFields, ",") {
					t.Fatalf("error fields = %v (%v), want %v", fields, err, tt.wantFields)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got.Name() != tt.wantName || got.Slug() != tt.wantSlug {
				t.Fatalf("name, slug = %q, %q; want %q, %q", got.Name(), got.Slug(), tt.wantName, tt.wantSlug)
			}
			if got.ID() != "t1" || got.Version() != 1 || !got.CreatedAt().Equal(created) || !got.UpdatedAt().Equal(created) {
				t.Fatalf("unexpected id/version/times: %q %d %v %v", got.ID(), got.Version(), got.CreatedAt(), got.UpdatedAt())
			}
			if types := eventTypes(got.PullEvents()); strings.Join(types, ",") != tag.EventCreated {
				t.Fatalf("events = %v, want [%s]", types, tag.EventCreated)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		changes     tag.Changes
		wantChanged bool
		wantName    string
		wantSlug    string
		wantDesc    string
		wantFields  []string
	}{
		{name: "renaming keeps the slug", changes: tag.Changes{Name: ptr("Golang")}, wantChanged: true, wantName: "Golang", wantSlug: "go", wantDesc: "The language"},
		{name: "an explicit slug replaces it", changes: tag.Changes{Slug: ptr("golang")}, wantChanged: true, wantName: "Go", wantSlug: "golang", wantDesc: "The language"},
		{name: "an empty slug is derived from the new name", changes: tag.Changes{Name: ptr("Go Lang"), Slug: ptr("")}, wantChanged: true, wantName: "Go Lang", wantSlug: "go-lang", wantDesc: "The language"},
		{name: "several fields bump once", changes: tag.Changes{Name: ptr("Golang"), Slug: ptr("golang"), Description: ptr("Gophers")}, wantChanged: true, wantName: "Golang", wantSlug: "golang", wantDesc: "Gophers"},
		{name: "clearing the description", changes: tag.Changes{Description: ptr("")}, wantChanged: true, wantName: "Go", wantSlug: "go", wantDesc: ""},
		{name: "no fields change nothing", changes: tag.Changes{}, wantName: "Go", wantSlug: "go", wantDesc: "The language"},
		{name: "same values change nothing", changes: tag.Changes{Name: ptr(" Go "), Slug: ptr("go"), Description: ptr("The language")}, wantName: "Go", wantSlug: "go", wantDesc: "The language"},
		{name: "an invalid name changes nothing", changes: tag.Changes{Name: ptr(""), Description: ptr("x")}, wantFields: []string{"name"}, wantName: "Go", wantSlug: "go", wantDesc: "The language"},
		{name: "an invalid slug changes nothing", changes: tag.Changes{Slug: ptr("-go-")}, wantFields: []string{"slug"}, wantName: "Go", wantSlug: "go", wantDesc: "The language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg, err := tag.New("t1", "Go", "", "The language", created)
			if err != nil {
				t.Fatal(err)
			}
			tg.PullEvents()
			changed, err := tg.Update(tt.changes, later)
			if fields := fieldsOf(err); strings.Join(fields, ",") != strings.Join(tt.wantFields, ",") {
				t.Fatalf("error fields = %v (%v), want %v", fields, err, tt.wantFields)
			}
			if changed != tt.wantChanged {
				t.Fatalf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if tg.Name() != tt.wantName || tg.Slug() != tt.wantSlug || tg.Description() != tt.wantDesc {
				t.Fatalf("got %q/%q/%q, want %q/%q/%q", tg.Name(), tg.Slug(), tg.Description(), tt.wantName, tt.wantSlug, tt.wantDesc)
			}
			wantVersion, wantUpdated, wantEvents := shared.Version(1), created, ""
			if tt.wantChanged {
				wantVersion, wantUpdated, wantEvents = 2, later, tag.EventUpdated
			}
			if tg.Version() != wantVersion || !tg.UpdatedAt().Equal(wantUpdated) {
				t.Fatalf("version, updated_at = %d, %v; want %d, %v", tg.Version(), tg.UpdatedAt(), wantVersion, wantUpdated)
			}
			if types := strings.Join(eventTypes(tg.PullEvents()), ","); types != wantEvents {
				t.Fatalf("events = %q, want %q", types, wantEvents)
			}
		})
	}
}

func TestMarkDeletedRecordsEvent(t *testing.T) {
	t.Parallel()
	tg := tag.Rehydrate(tag.State{ID: "t1", Slug: "go", Name: "Go", Version: 4, CreatedAt: created, UpdatedAt: created})
	tg.MarkDeleted(later)
	events := tg.PullEvents()
	if len(events) != 1 || events[0].Type != tag.EventDeleted || events[0].AggregateID != "t1" || !events[0].OccurredAt.Equal(later) {
		t.Fatalf("events = %+v", events)
	}
	if tg.Version() != 4 {
		t.Fatalf("version = %d, want it untouched", tg.Version())
	}
}

func TestRehydrateKeepsStoredState(t *testing.T) {
	t.Parallel()
	s := tag.State{ID: "t1", Slug: "legacy_slug", Name: "Legacy", Description: "d", Version: 7, CreatedAt: created, UpdatedAt: later}
	tg := tag.Rehydrate(s)
	got := tag.State{ID: tg.ID(), Slug: tg.Slug(), Name: tg.Name(), Description: tg.Description(), Version: tg.Version(), CreatedAt: tg.CreatedAt(), UpdatedAt: tg.UpdatedAt()}
	if got != s {
		t.Fatalf("rehydrated %+v, want %+v", got, s)
	}
	if events := tg.PullEvents(); len(events) != 0 {
		t.Fatalf("rehydration recorded events: %v", events)
	}
}

func TestNameKeyIgnoresCaseAndSpace(t *testing.T) {
	t.Parallel()
	tests := []struct{ a, b string }{
		{"Go", "go"},
		{"  GoLang ", "golang"},
		{"ÉCOLE", "école"},
	}
	for _, tt := range tests {
		t.Run(tt.a, func(t *testing.T) {
			t.Parallel()
			tg, err := tag.New("t1", tt.a, "", "", created)
			if err != nil {
				t.Fatal(err)
			}
			if tg.NameKey() != tag.NormalizeName(tt.b) {
				t.Fatalf("NameKey(%q) = %q, NormalizeName(%q) = %q", tt.a, tg.NameKey(), tt.b, tag.NormalizeName(tt.b))
			}
		})
	}
}

func TestErrorCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *shared.Error
		code string
		kind shared.Kind
	}{
		{tag.ErrNotFound, "tag_not_found", shared.KindNotFound},
		{tag.ErrNameTaken, "tag_name_taken", shared.KindConflict},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			if tt.err.Code != tt.code || tt.err.Kind != tt.kind {
				t.Fatalf("got %s/%d, want %s/%d", tt.err.Code, tt.err.Kind, tt.code, tt.kind)
			}
		})
	}
}
