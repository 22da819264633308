package persistence_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/seed"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// BenchmarkArticleLists measures the public list queries (the read model, no HTTP, no cache) on a
// seeded corpus, once per database: the first page is the baseline the filtered lists and search
// are compared with. INKWELL_BENCH_ARTICLES sets the corpus size (default 20,000); 200 tags give a
// tag about 1.25% of the articles, as in the measurements. INKWELL_BENCH_DATABASE_URL runs
// it on a database seeded before (inkwell seed; a million articles take a while), migrated first.
func BenchmarkArticleLists(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("INKWELL_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	if url := os.Getenv("INKWELL_BENCH_DATABASE_URL"); url != "" {
		benchArticleLists(b, openSeeded(b, url))
		return
	}
	for _, d := range testdb.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			db := testdb.Open(b, d)
			svc := seed.NewService(persistence.NewTxManager(db), persistence.NewSeedStore(db),
				markdown.NewRenderer(markdown.DefaultLimits()), clock.NewSystem(), clock.NewUUIDv7())
			if _, err := svc.Run(context.Background(), seed.Options{Articles: n, Tags: 200, Authors: 50, BatchSize: 500}); err != nil {
				b.Fatal(err)
			}
			benchArticleLists(b, db)
		})
	}
}

// openSeeded opens and migrates the database at url, which the benchmark only reads.
func openSeeded(b *testing.B, url string) *persistence.DB {
	cfg := config.Default().Database
	cfg.URL, cfg.SlowQueryThreshold = url, 0
	db, cleanup, err := persistence.Open(cfg, zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(cleanup)
	m, err := persistence.NewMigrator(db)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchArticleLists times each list on db; the search words are from the seeded corpus: "the" is in
// nearly every body and excerpt and in an eighth of the titles, "caching" in a twelfth of the titles,
// "denial" only in bodies and a few excerpts, "boring 2026" is two title words seldom together.
func benchArticleLists(b *testing.B, db *persistence.DB) {
	ctx := context.Background()
	var tagSlug, authorSlug string
	db.Conn(ctx).Raw("SELECT slug FROM tags ORDER BY slug LIMIT 1").Scan(&tagSlug)
	db.Conn(ctx).Raw("SELECT slug FROM users ORDER BY slug LIMIT 1").Scan(&authorSlug)
	reads := persistence.NewArticleReadModel(db)
	now := time.Now()
	for _, s := range []struct {
		name string
		q    articleapp.ListQuery
	}{
		{"first-page", articleapp.ListQuery{}},
		{"tag", articleapp.ListQuery{TagSlugs: []string{tagSlug}}},
		{"author", articleapp.ListQuery{AuthorSlug: authorSlug}},
		{"tag+author", articleapp.ListQuery{TagSlugs: []string{tagSlug}, AuthorSlug: authorSlug}},
		{"unknown-tag", articleapp.ListQuery{TagSlugs: []string{"no-such-tag"}}},
		{"unknown-author", articleapp.ListQuery{AuthorSlug: "no-such-author"}},
		{"search-common", articleapp.ListQuery{Q: "the"}},
		{"search-title-word", articleapp.ListQuery{Q: "caching"}},
		{"search-body-word", articleapp.ListQuery{Q: "denial"}},
		{"search-two-words", articleapp.ListQuery{Q: "boring 2026"}},
		{"search-negated", articleapp.ListQuery{Q: "the -caching"}},
		{"search-common-page-2", articleapp.ListQuery{Q: "the", Page: 2}},
		{"search-common-newest", articleapp.ListQuery{Q: "the", Sort: articleapp.SortPublishedDesc}},
	} {
		q := s.q
		q.Visibility, q.Now = articleapp.VisibilityPublic, now
		q = edge(q)
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := reads.ListArticles(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
