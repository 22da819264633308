package article_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// actions run each workflow method at t2; the scheduled fixture is due at t1, and Schedule aims
// for an hour after t2.
var actions = map[string]func(a *article.Article) error{
	"publish":           func(a *article.Article) error { return a.Publish(t2) },
	"publish_scheduled": func(a *article.Article) error { return a.PublishScheduled(t2) },
	"schedule":          func(a *article.Article) error { return a.Schedule(t2.Add(time.Hour), t2) },
	"unschedule":        func(a *article.Article) error { return a.Unschedule(t2) },
	"unpublish":         func(a *article.Article) error { return a.Unpublish(t2) },
	"archive":           func(a *article.Article) error { return a.Archive(t2) },
	"unarchive":         func(a *article.Article) error { return a.Unarchive(t2) },
}

type outcome struct {
	status article.Status
	event  string
}

// allowed is the whole workflow; every other pair of status and action must be refused.
var allowed = map[article.Status]map[string]outcome{
	article.StatusDraft: {
		"publish":  {article.StatusPublished, article.EventPublished},
		"schedule": {article.StatusScheduled, article.EventUpdated},
		"archive":  {article.StatusArchived, article.EventArchived},
	},
	article.StatusScheduled: {
		"publish":           {article.StatusPublished, article.EventPublished},
		"publish_scheduled": {article.StatusPublished, article.EventPublished},
		"schedule":          {article.StatusScheduled, article.EventUpdated},
		"unschedule":        {article.StatusDraft, article.EventUpdated},
	},
	article.StatusPublished: {
		"unpublish": {article.StatusDraft, article.EventUnpublished},
		"archive":   {article.StatusArchived, article.EventArchived},
	},
	article.StatusArchived: {
		"unarchive": {article.StatusDraft, article.EventUpdated},
	},
}

func TestWorkflowTransitions(t *testing.T) {
	t.Parallel()
	for _, from := range article.Statuses {
		for name, act := range actions {
			t.Run(string(from)+"/"+name, func(t *testing.T) {
				t.Parallel()
				a := inStatus(from, false)
				err := act(a)
				want, ok := allowed[from][name]
				if !ok {
					var e *shared.Error
					if !errors.Is(err, shared.ErrInvalidTransition) || !errors.As(err, &e) || e.Details["status"] != string(from) {
						t.Fatalf("error = %v, want invalid_transition naming status %s", err, from)
					}
					expect(t, "status", a.Status(), from)
					expect(t, "version", a.Version(), shared.Version(3))
					expect(t, "events", eventTypes(a), "")
					return
				}
				if err != nil {
					t.Fatalf("%s from %s: %v", name, from, err)
				}
				expect(t, "status", a.Status(), want.status)
				expect(t, "version", a.Version(), shared.Version(4))
				expect(t, "updated_at", a.UpdatedAt(), t2)
				expect(t, "events", eventTypes(a), want.event)
				expect(t, "scheduled", a.ScheduledAt() != nil, want.status == article.StatusScheduled)
			})
		}
	}
}

func TestTrashedArticlesRefuseTheWorkflow(t *testing.T) {
	t.Parallel()
	for _, from := range article.Statuses {
		for name, act := range actions {
			t.Run(string(from)+"/"+name, func(t *testing.T) {
				t.Parallel()
				a := inStatus(from, true)
				if err := act(a); !errors.Is(err, article.ErrTrashed) {
					t.Fatalf("error = %v, want ErrTrashed", err)
				}
				expect(t, "version", a.Version(), shared.Version(3))
			})
		}
	}
}

func TestPublishedAtIsSetTheFirstTimeOnly(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	steps := []struct {
		name string
		do   func() error
	}{
		{"publish", func() error { return a.Publish(t1) }},
		{"unpublish", func() error { return a.Unpublish(t1) }},
		{"publish again", func() error { return a.Publish(t2) }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	expect(t, "published_at", *a.PublishedAt(), t1)
	expect(t, "version", a.Version(), shared.Version(4))
}

func TestPublishScheduled(t *testing.T) {
	t.Parallel()
	t.Run("is dated at the scheduled time", func(t *testing.T) {
		t.Parallel()
		a := newArticle(t)
		if err := a.Schedule(t1, t0); err != nil {
			t.Fatal(err)
		}
		if err := a.PublishScheduled(t2); err != nil {
			t.Fatal(err)
		}
		expect(t, "status", a.Status(), article.StatusPublished)
		expect(t, "published_at", *a.PublishedAt(), t1)
		expect(t, "scheduled_at cleared", a.ScheduledAt() == nil, true)
	})
	t.Run("refuses before the time", func(t *testing.T) {
		t.Parallel()
		a := newArticle(t)
		if err := a.Schedule(t2, t0); err != nil {
			t.Fatal(err)
		}
		if err := a.PublishScheduled(t1); !errors.Is(err, shared.ErrInvalidTransition) {
			t.Fatalf("error = %v, want invalid_transition", err)
		}
		expect(t, "status", a.Status(), article.StatusScheduled)
	})
	t.Run("Publish ahead of time is dated now", func(t *testing.T) {
		t.Parallel()
		a := newArticle(t)
		if err := a.Schedule(t2, t0); err != nil {
			t.Fatal(err)
		}
		if err := a.Publish(t1); err != nil {
			t.Fatal(err)
		}
		expect(t, "published_at", *a.PublishedAt(), t1)
		expect(t, "scheduled_at cleared", a.ScheduledAt() == nil, true)
	})
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		at          time.Time
		wantFields  []string
		wantVersion shared.Version
	}{
		{name: "in the future", at: t2, wantVersion: 2},
		{name: "now is not the future", at: t1, wantFields: []string{"publish_at"}, wantVersion: 1},
		{name: "in the past", at: t0, wantFields: []string{"publish_at"}, wantVersion: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newArticle(t)
			err := a.Schedule(tt.at, t1)
			if got := fieldsOf(err); !slices.Equal(got, tt.wantFields) {
				t.Fatalf("error fields = %v (%v), want %v", got, err, tt.wantFields)
			}
			expect(t, "version", a.Version(), tt.wantVersion)
			if err == nil {
				expect(t, "scheduled_at", *a.ScheduledAt(), tt.at)
			}
		})
	}
}

func TestRescheduling(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	later := t2.Add(time.Hour)
	for _, at := range []time.Time{t2, t2, later} {
		if err := a.Schedule(at, t1); err != nil {
			t.Fatal(err)
		}
	}
	expect(t, "scheduled_at", *a.ScheduledAt(), later)
	expect(t, "version (same time twice bumps once)", a.Version(), shared.Version(3))
}

func TestTrashAndRestore(t *testing.T) {
	t.Parallel()
	for _, status := range article.Statuses {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			a := inStatus(status, false)
			if err := a.Trash(t1); err != nil {
				t.Fatal(err)
			}
			expect(t, "trashed", a.IsTrashed(), true)
			expect(t, "trashed_at", *a.TrashedAt(), t1)
			expect(t, "status kept", a.Status(), status)
			expect(t, "events", eventTypes(a), article.EventDeleted)
			if err := a.Trash(t2); !errors.Is(err, article.ErrTrashed) {
				t.Fatalf("trash twice: %v, want ErrTrashed", err)
			}
			if err := a.RestoreFromTrash(t2); err != nil {
				t.Fatal(err)
			}
			expect(t, "trashed", a.IsTrashed(), false)
			expect(t, "status", a.Status(), status)
			expect(t, "events", eventTypes(a), article.EventUpdated)
			expect(t, "version", a.Version(), shared.Version(5))
			if err := a.RestoreFromTrash(t2); !errors.Is(err, article.ErrNotTrashed) {
				t.Fatalf("restore twice: %v, want ErrNotTrashed", err)
			}
		})
	}
}
