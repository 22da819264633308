package article_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

type countingMetrics struct {
	mu        sync.Mutex
	published int
}

func (m *countingMetrics) ScheduledPublished(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.published += n
}

func (m *countingMetrics) total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.published
}

// failingSave makes Save fail for one article, as a broken row would.
type failingSave struct {
	*memstore.Articles
	id string
}

func (r failingSave) Save(ctx context.Context, a *article.Article, expected shared.Version) error {
	if a.ID() == r.id {
		return errors.New("disk on fire")
	}
	return r.Articles.Save(ctx, a, expected)
}

func TestSchedulerPublishesDueArticlesLikeAManualPublish(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	schedule := func(title string, at time.Time) articleapp.ArticleDetail {
		return f.act(f.draft(uAuthor, title), articleapp.ActionSchedule, &at)
	}
	first := schedule("First", t0.Add(time.Minute))
	second := schedule("Second", t0.Add(2*time.Minute))
	later := schedule("Later", t0.Add(time.Hour))
	broken := schedule("Broken", t0.Add(time.Minute))
	if _, err := f.svc.PublishedArticle(context.Background(), first.Slug); err == nil {
		t.Fatal("a scheduled article is public before its time")
	}
	f.clock.Advance(10 * time.Minute)

	core, logs := observer.New(zap.InfoLevel)
	metrics := &countingMetrics{}
	brokenRepo := failingSave{Articles: f.repo, id: broken.ID}
	s := articleapp.NewScheduler(f.serviceWith(brokenRepo), brokenRepo, f.w.tx, f.clock, time.Hour, metrics, worker.Backoff{}, zap.New(core))
	mark := len(f.w.journal.Entries())
	if n := s.RunOnce(context.Background()); n != 2 || metrics.total() != 2 {
		t.Fatalf("published %d (metrics %d), want 2", n, metrics.total())
	}
	for _, d := range []articleapp.ArticleDetail{first, second} {
		got, err := f.svc.PublishedArticle(context.Background(), d.Slug)
		if err != nil || got.Status != article.StatusPublished || !got.PublishedAt.Equal(*d.ScheduledAt) {
			t.Fatalf("%s: %+v, %v; want published, dated at its scheduled time", d.Title, got.ArticleSummary, err)
		}
		page, _ := f.svc.Revisions(as(uAdmin), d.ID, listing.FirstPage())
		revs := page.Items
		if len(revs) != 3 || revs[0].Status != article.StatusPublished || revs[0].EditorID != "" {
			t.Fatalf("%s revisions: %+v; want a third by the system", d.Title, revs)
		}
	}
	if got, _ := f.svc.Get(as(uAdmin), later.ID); got.Status != article.StatusScheduled {
		t.Fatalf("an article due later was published: %s", got.Status)
	}
	published := 0
	for _, m := range f.w.outboxCopy() {
		if m.Type == article.EventPublished {
			published++
		}
	}
	if published != 2 {
		t.Fatalf("%d article.published events, want 2", published)
	}
	if failures := logs.FilterMessage("publish scheduled article").FilterField(zap.String("article_id", broken.ID)); failures.Len() != 1 {
		t.Fatalf("want one log line for the failure, got %v", logs.All())
	}
	if j := f.since(mark); len(j) == 0 || j[len(j)-1] == "rollback" {
		t.Fatalf("journal: %v", j)
	}
	// The failure is retried on the next pass, which publishes only that one.
	if n := articleapp.NewScheduler(f.svc, f.repo, f.w.tx, f.clock, time.Hour, metrics, worker.Backoff{}, zap.NewNop()).RunOnce(context.Background()); n != 1 {
		t.Fatalf("second pass published %d, want only the formerly broken one", n)
	}
}

func TestSchedulerRunPublishesAtStartAndStops(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.act(f.draft(uAuthor, "Overdue"), articleapp.ActionSchedule, ptr(t0.Add(time.Minute)))
	f.clock.Advance(time.Hour) // the node was down when it fell due
	metrics := &countingMetrics{}
	s := articleapp.NewScheduler(f.svc, f.repo, f.w.tx, f.clock, time.Hour, metrics, worker.Backoff{}, zap.NewNop())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for metrics.total() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Get(as(uAdmin), d.ID); got.Status != article.StatusPublished {
		t.Fatalf("an overdue article was not published at start: %s", got.Status)
	}
}

func TestTrashPurgerDeletesWhatOutlivedTheRetention(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old := f.draft(uAuthor, "Old")
	if err := f.svc.Trash(as(uAuthor), old.ID, old.Version); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(48 * time.Hour)
	recent := f.draft(uAuthor, "Recent")
	if err := f.svc.Trash(as(uAuthor), recent.ID, recent.Version); err != nil {
		t.Fatal(err)
	}
	kept := f.draft(uAuthor, "Kept")
	p := articleapp.NewTrashPurger(f.repo, f.w.tx, f.clock, 24*time.Hour, worker.Backoff{}, zap.NewNop())
	if n, err := p.Purge(context.Background()); err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if _, err := f.svc.Get(as(uAdmin), old.ID); !errors.Is(err, article.ErrNotFound) {
		t.Fatalf("old trash survived: %v", err)
	}
	for _, d := range []articleapp.ArticleDetail{recent, kept} {
		if _, err := f.svc.Get(as(uAdmin), d.ID); err != nil {
			t.Fatalf("%s was purged: %v", d.Title, err)
		}
	}
	if _, err := articleapp.NewTrashPurger(f.repo, f.w.tx, f.clock, 0, worker.Backoff{}, zap.NewNop()).Purge(context.Background()); err == nil {
		t.Fatal("a zero retention would purge the whole trash")
	}
}

// outage makes the repository's claim fail as an unreachable database does, until it is healed.
type outage struct {
	*memstore.Articles
	down  atomic.Bool
	calls atomic.Int32
}

func (r *outage) DueScheduled(ctx context.Context, now time.Time, limit int) ([]string, error) {
	r.calls.Add(1)
	if r.down.Load() {
		return nil, fmt.Errorf("due scheduled: %w", shared.ErrDatabaseUnavailable)
	}
	return r.Articles.DueScheduled(ctx, now, limit)
}

// TestSchedulerBacksOffWhileTheDatabaseIsUnavailable: the scheduler does not log a failure per tick
// while the database is unavailable; it logs the outage once, backs off, and resumes by itself.
func TestSchedulerBacksOffWhileTheDatabaseIsUnavailable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.act(f.draft(uAuthor, "Due during the outage"), articleapp.ActionSchedule, ptr(t0.Add(time.Minute)))
	f.clock.Advance(time.Hour)
	repo := &outage{Articles: f.repo}
	repo.down.Store(true)
	core, logs := observer.New(zap.InfoLevel)
	metrics := &countingMetrics{}
	s := articleapp.NewScheduler(f.serviceWith(repo), repo, f.w.tx, f.clock, time.Millisecond, metrics,
		worker.Backoff{Min: 5 * time.Millisecond, Max: 20 * time.Millisecond}, zap.New(core))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, func() bool { return repo.calls.Load() >= 5 })
	repo.down.Store(false)
	waitFor(t, func() bool { return metrics.total() == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Get(as(uAdmin), d.ID); got.Status != article.StatusPublished {
		t.Fatalf("not published after the database came back: %s", got.Status)
	}
	if n := logs.FilterMessageSnippet("backs off").Len(); n != 1 {
		t.Errorf("%d outage lines, want 1: %v", n, logs.All())
	}
	if n := logs.FilterMessageSnippet("resumes").Len(); n != 1 {
		t.Errorf("%d recovery lines, want 1: %v", n, logs.All())
	}
	if n := logs.FilterLevelExact(zap.ErrorLevel).Len(); n != 0 {
		t.Errorf("%d error lines for an unavailable database: %v", n, logs.All())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
