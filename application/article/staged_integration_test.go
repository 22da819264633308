package article_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/application/apptest"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/worker"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/infrastructure/cache"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// TestTwoSchedulersPublishScheduledChangesExactlyOnce: the pending changes of live articles,
// scheduled at different times, fall due while no node runs; two nodes then start at once (three
// passes each, concurrently) and every article's changes go live exactly once, on both databases.
func TestTwoSchedulersPublishScheduledChangesExactlyOnce(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		clk := apptest.NewClock(clock.NewSystem().Now())
		nodes := []node{newNode(t, db, cache.NewMemory(100, time.Minute), clk), newNode(t, db, cache.NewMemory(100, time.Minute), clk)}
		ctx := addUser(t, db, "Ed Editor", identity.RoleEditor)
		const articles = 20
		ids := make([]string, articles)
		for i := range articles {
			d, err := nodes[0].svc.Create(ctx, articleapp.CreateArticle{Title: fmt.Sprintf("Live %d", i), BodyMarkdown: "Old."})
			if err != nil {
				t.Fatal(err)
			}
			if d, err = nodes[0].svc.Act(ctx, d.ID, d.Version, articleapp.ActionPublish, nil); err != nil {
				t.Fatal(err)
			}
			body := fmt.Sprintf("New %d.", i)
			if d, err = nodes[0].svc.Update(ctx, d.ID, d.Version, articleapp.UpdateArticle{BodyMarkdown: &body}); err != nil {
				t.Fatal(err)
			}
			at := clk.Now().Add(time.Duration(i+1) * time.Second)
			if d, err = nodes[0].svc.Act(ctx, d.ID, d.Version, articleapp.ActionScheduleChanges, &at); err != nil {
				t.Fatal(err)
			}
			if d.ChangesScheduledAt == nil || d.Pending == nil || d.BodyMarkdown != "Old." {
				t.Fatalf("scheduled changes: %+v", d)
			}
			ids[i] = d.ID
		}
		clk.Advance(time.Hour) // the downtime

		metrics := &countingMetrics{}
		var wg sync.WaitGroup
		for _, n := range nodes {
			s := articleapp.NewScheduler(n.svc, n.articles, n.tx, clk, time.Hour, metrics, worker.Backoff{},
				zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)))
			for range 3 {
				wg.Go(func() { s.RunOnce(context.Background()) })
			}
		}
		wg.Wait()
		if metrics.total() != articles {
			t.Fatalf("the schedulers counted %d publishes, want %d", metrics.total(), articles)
		}
		for i, id := range ids {
			d, err := nodes[1].svc.Get(ctx, id)
			// create 1, publish 2, patch 3, schedule-changes 4, the scheduler's promotion 5.
			if err != nil || d.Version != 5 || d.Pending != nil || d.ChangesScheduledAt != nil ||
				d.BodyMarkdown != fmt.Sprintf("New %d.", i) || d.Status != article.StatusPublished {
				t.Fatalf("article %d after the schedulers: %+v, %v", i, d, err)
			}
			var updated int64
			if err := db.Conn(context.Background()).Raw(`SELECT COUNT(*) FROM outbox_messages WHERE aggregate_id = ? AND type = ?`,
				id, article.EventUpdated).Scan(&updated).Error; err != nil {
				t.Fatal(err)
			}
			if updated != 2 { // schedule-changes and the promotion, once
				t.Fatalf("article %d has %d article.updated events, want 2", i, updated)
			}
		}
	})
}
