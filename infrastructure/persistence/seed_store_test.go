package persistence_test

import (
	"context"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/application/seed"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

func TestSeedFillsPublishedContentEveryReaderSees(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		ctx := context.Background()
		svc := seed.NewService(persistence.NewTxManager(db), persistence.NewSeedStore(db), markdown.NewRenderer(markdown.DefaultLimits()), clock.NewSystem(), clock.NewUUIDv7())
		var reported []int
		res, err := svc.Run(ctx, seed.Options{Articles: 45, Tags: 6, Authors: 3, BatchSize: 20,
			Progress: func(done, _ int) { reported = append(reported, done) }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Articles != 45 || len(reported) != 3 || reported[2] != 45 {
			t.Fatalf("result %+v, progress %v", res, reported)
		}
		// A second run adds to the first (slugs carry a run id, so nothing collides).
		if _, err := svc.Run(ctx, seed.Options{Articles: 5, Tags: 2, Authors: 1}); err != nil {
			t.Fatalf("second run: %v", err)
		}
		reads := persistence.NewArticleReadModel(db)
		page, err := reads.ListArticles(ctx, edge(articleapp.ListQuery{Visibility: articleapp.VisibilityPublic, Now: time.Now(), Page: 1, Limit: 10}))
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 50 {
			t.Fatalf("public articles after seeding: %d, want 50", page.Total)
		}
		first := page.Items[0]
		if len(first.Tags) == 0 || first.Author.Slug == "" || first.ReadingTimeMinutes < 1 {
			t.Fatalf("seeded article lacks tags, author or reading time: %+v", first)
		}
		detail, err := reads.GetPublishedArticleBySlug(ctx, first.Slug, time.Now())
		if err != nil || len(detail.BodyMarkdown) < 1000 || detail.BodyHTML == "" {
			t.Fatalf("seeded article body: %d bytes of markdown, %v", len(detail.BodyMarkdown), err)
		}
		tags, err := persistence.NewTagReadModel(db).List(ctx, tagapp.ListQuery{Now: time.Now(), Limit: listing.MaxLimit})
		if err != nil || len(tags) != 8 {
			t.Fatalf("tags: %d, %v", len(tags), err)
		}
	})
}
