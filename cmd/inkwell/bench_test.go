package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/zap"
	"gorm.io/gorm"

	"github.com/inkwell-cms/inkwell/application/seed"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

// The hot paths of the public API, through the real router and middleware on the full wire graph,
// at 10,000 seeded articles: go test -run '^$' -bench . -benchtime=2000x ./cmd/inkwell
// Requests go straight to the handler (no socket, no contract validation) so the figures are the
// server's own cost. The load benchmark (make bench) measures the same paths over the network.

const (
	benchArticles = 10000
	benchHotSlugs = 100
)

func BenchmarkPublicArticleBySlugCached(b *testing.B) {
	forEachBenchDialect(b, func(b *testing.B, f *benchFixture) {
		h := f.newApp(b, true).Server.Handler
		paths := make([]string, len(f.slugs))
		for i, slug := range f.slugs {
			paths[i] = "/api/v1/articles/" + slug
			benchGet(b, h, paths[i]) // warm the cache
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			benchGet(b, h, paths[i%len(paths)])
		}
	})
}

func BenchmarkPublicListCached(b *testing.B) {
	forEachBenchDialect(b, func(b *testing.B, f *benchFixture) {
		h := f.newApp(b, true).Server.Handler
		const path = "/api/v1/articles?limit=20"
		benchGet(b, h, path)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			benchGet(b, h, path)
		}
	})
}

// BenchmarkPublicListUncached is the database path: the cache is off, and the list is filtered by
// two tags and an author. Before timing it checks that a request's SQL statements do not grow with
// the page (infrastructure/persistence's TestReadModelListTakesAConstantNumberOfQueries checks the
// read model alone; this covers the whole request: middleware, service and read model).
func BenchmarkPublicListUncached(b *testing.B) {
	forEachBenchDialect(b, func(b *testing.B, f *benchFixture) {
		app := f.newApp(b, false)
		h := app.Server.Handler
		filter := url.Values{"tag": {f.tags[0], f.tags[1]}, "author": {f.author}}.Encode()
		path := "/api/v1/articles?limit=20&" + filter
		queries := countStatements(b, app.DB.Gorm)
		perRequest := func(limit int) int64 {
			queries.Store(0)
			benchGet(b, h, fmt.Sprintf("/api/v1/articles?limit=%d&%s", limit, filter))
			return queries.Load()
		}
		if one, twenty, hundred := perRequest(1), perRequest(20), perRequest(100); one != twenty || twenty != hundred {
			b.Fatalf("SQL statements per uncached list request grow with the page: %d for 1 item, %d for 20, %d for 100", one, twenty, hundred)
		}
		b.Logf("%d SQL statements per uncached list request", perRequest(20))
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			benchGet(b, h, path)
		}
	})
}

// benchGet serves one public GET and fails the benchmark unless it answers 200.
func benchGet(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
}

// countStatements counts every statement GORM runs on db from now on.
func countStatements(b *testing.B, db *gorm.DB) *atomic.Int64 {
	b.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.Callback()
	for name, err := range map[string]error{
		"query": cb.Query().Before("gorm:query").Register("bench:count_statements", count),
		"row":   cb.Row().Before("gorm:row").Register("bench:count_statements", count),
		"raw":   cb.Raw().Before("gorm:raw").Register("bench:count_statements", count),
	} {
		if err != nil {
			b.Fatalf("register %s callback: %v", name, err)
		}
	}
	return &n
}

// forEachBenchDialect runs fn as a sub-benchmark per dialect on that dialect's seeded database.
func forEachBenchDialect(b *testing.B, fn func(b *testing.B, f *benchFixture)) {
	for _, d := range testdb.Dialects(b) {
		b.Run(string(d), func(b *testing.B) { fn(b, seededFixture(b, d)) })
	}
}

// benchFixture is one database seeded with benchArticles articles, shared by every benchmark of
// the run on its dialect (seeding takes longer than the benchmarks) and removed by TestMain.
type benchFixture struct {
	dialect config.Dialect
	dbURL   string
	slugs   []string // a hot set of published slugs
	tags    []string // tag slugs, the most used first
	author  string   // an author slug
	remove  func() error
}

var (
	benchFixturesMu sync.Mutex
	benchFixtures   = map[config.Dialect]*benchFixture{}
)

// seededFixture returns dialect d's fixture, seeding it on first use.
func seededFixture(b *testing.B, d config.Dialect) *benchFixture {
	b.Helper()
	benchFixturesMu.Lock()
	defer benchFixturesMu.Unlock()
	if f, ok := benchFixtures[d]; ok {
		return f
	}
	f, err := newBenchFixture(d)
	if err != nil {
		b.Fatalf("seed the %s benchmark database: %v", d, err)
	}
	benchFixtures[d] = f
	return f
}

func newBenchFixture(d config.Dialect) (*benchFixture, error) {
	f := &benchFixture{dialect: d}
	switch d {
	case config.DialectSQLite:
		dir, err := os.MkdirTemp("", "inkwell-bench-")
		if err != nil {
			return nil, err
		}
		f.dbURL = "sqlite:" + filepath.Join(dir, "inkwell.db")
		f.remove = func() error { return os.RemoveAll(dir) }
	case config.DialectPostgres:
		u, drop, err := testdb.CreatePostgresDatabase(os.Getenv(testdb.PostgresURLEnv))
		if err != nil {
			return nil, err
		}
		f.dbURL, f.remove = u, drop
	}
	if err := f.seed(); err != nil {
		_ = f.remove()
		return nil, err
	}
	return f, nil
}

func (f *benchFixture) seed() error {
	cfg := config.Default().Database
	cfg.URL = f.dbURL
	db, closeDB, err := persistence.Open(cfg, zap.NewNop())
	if err != nil {
		return err
	}
	defer closeDB()
	m, err := persistence.NewMigrator(db)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if _, err := m.Up(ctx); err != nil {
		return err
	}
	seeder := seed.NewService(persistence.NewTxManager(db), persistence.NewSeedStore(db), markdown.NewRenderer(markdown.DefaultLimits()),
		clock.NewSystem(), clock.NewUUIDv7())
	if _, err := seeder.Run(ctx, seed.Options{Articles: benchArticles, Tags: 50, Authors: 20}); err != nil {
		return err
	}
	conn := db.Gorm.WithContext(ctx)
	if err := conn.Raw("SELECT slug FROM articles ORDER BY published_at DESC LIMIT ?", benchHotSlugs).Scan(&f.slugs).Error; err != nil {
		return err
	}
	if err := conn.Raw(`SELECT t.slug FROM tags t JOIN article_tags l ON l.tag_id = t.id
		GROUP BY t.slug ORDER BY COUNT(*) DESC, t.slug LIMIT 2`).Scan(&f.tags).Error; err != nil {
		return err
	}
	if err := conn.Raw(`SELECT u.slug FROM users u JOIN articles a ON a.author_id = u.id
		GROUP BY u.slug ORDER BY COUNT(*) DESC, u.slug LIMIT 1`).Scan(&f.author).Error; err != nil {
		return err
	}
	if len(f.slugs) != benchHotSlugs || len(f.tags) != 2 || f.author == "" {
		return fmt.Errorf("seeded content is missing: %d slugs, tags %v, author %q", len(f.slugs), f.tags, f.author)
	}
	return nil
}

// newApp boots the full wire graph on the fixture's database, with the public cache on or off.
func (f *benchFixture) newApp(b *testing.B, cached bool) *App {
	b.Helper()
	cfg := config.Default()
	cfg.Database.URL = f.dbURL
	cfg.Database.AutoMigrate = false
	cfg.Database.SlowQueryThreshold = 0
	cfg.Log.AccessLog = false
	cfg.Cache.Enabled = cached
	app, cleanup, err := newApp(&cfg, zap.NewNop())
	if err != nil {
		b.Fatalf("build app: %v", err)
	}
	b.Cleanup(cleanup)
	return app
}

// removeBenchFixtures drops the benchmark databases once every benchmark has run.
func removeBenchFixtures() {
	benchFixturesMu.Lock()
	defer benchFixturesMu.Unlock()
	for d, f := range benchFixtures {
		if err := f.remove(); err != nil {
			fmt.Fprintf(os.Stderr, "remove the %s benchmark database: %v\n", d, err)
		}
		delete(benchFixtures, d)
	}
}
