package main

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// The statement budgets of writes, authentication included: they count statements, not time, so
// they hold on any machine. A busy token's principal is reused (identity.principal_cache_ttl), so
// authentication costs nothing on a warm path and one statement (token joined with its user) on a
// cold one.
const (
	maxTitlePatchStatements = 5 // load, update, revision, name author and tags, outbox
	maxCreateStatements     = 5 // resolve tags, insert article, its tags, revision, outbox
	maxPublishStatements    = 5 // load, update, revision, name author and tags, outbox
	authStatements          = 1 // a cold principal: the token joined with its user
)

type countedRequest struct{}

// statementLog records the SQL of every statement GORM runs for a request marked by mark. Work
// off the request path (the debounced write of a token's last use) has its own context and is
// not counted.
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *statementLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sql = nil
}

func (l *statementLog) statements() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.sql...)
}

// logStatements registers callbacks on db that record the statements of marked requests.
func logStatements(t *testing.T, db *persistence.DB) *statementLog {
	t.Helper()
	l := &statementLog{}
	record := func(tx *gorm.DB) {
		if tx.Statement.Context.Value(countedRequest{}) == nil {
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		l.sql = append(l.sql, strings.Join(strings.Fields(tx.Statement.SQL.String()), " "))
	}
	cb := db.Gorm.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:log_statements", record),
		"row":    cb.Row().After("gorm:row").Register("test:log_statements", record),
		"raw":    cb.Raw().After("gorm:raw").Register("test:log_statements", record),
		"create": cb.Create().After("gorm:create").Register("test:log_statements", record),
		"update": cb.Update().After("gorm:update").Register("test:log_statements", record),
		"delete": cb.Delete().After("gorm:delete").Register("test:log_statements", record),
	} {
		if err != nil {
			t.Fatalf("register %s callback: %v", name, err)
		}
	}
	return l
}

// marked wraps h so that every request it serves is counted by a statementLog.
func marked(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), countedRequest{}, true)))
	})
}

func TestTitleOnlyPatchRunsAtMostItsStatementBudget(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		client, log := countingClient(t, d)
		_, goSlug, _ := createTag(t, client, "Go")
		_, dbSlug, _ := createTag(t, client, "Databases")
		a := createArticle(t, client, "Counting", map[string]any{"tags": []string{goSlug, dbSlug}})
		sameAsRead(t, client, a)
		log.reset()
		r := mustStatus(t, client.Do("PATCH", articlesPath+"/"+a.ID, map[string]any{"title": "Counted"}, "If-Match", a.ETag), 200, "patch title")

		got := asArticle(t, r)
		tags, _ := got.Body["tags"].([]any)
		if got.Body["title"] != "Counted" || len(tags) != 2 || got.Body["version"] != float64(2) {
			t.Fatalf("patched article: %s", r.Body)
		}
		stmts := log.statements()
		sameAsRead(t, client, got)
		for i, s := range stmts {
			t.Logf("%d: %s", i+1, s)
		}
		if len(stmts) > maxTitlePatchStatements {
			t.Errorf("a title-only PATCH ran %d statements on %s, want at most %d", len(stmts), d, maxTitlePatchStatements)
		}
	})
}

func TestCreateRunsAtMostItsStatementBudget(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		for _, c := range []struct {
			name   string
			budget int
			adjust func(*config.Config)
		}{
			{"warm principal", maxCreateStatements, warmPrincipals},
			{"principal cache off", maxCreateStatements + authStatements, func(c *config.Config) { c.Identity.PrincipalCacheTTL = 0 }},
		} {
			client, log := countingClient(t, d, c.adjust)
			_, goSlug, _ := createTag(t, client, "Go")
			_, dbSlug, _ := createTag(t, client, "Databases")
			log.reset()
			a := createArticle(t, client, "Counting", map[string]any{"tags": []string{dbSlug, goSlug}})
			stmts := log.statements()
			if tags, _ := a.Body["tags"].([]any); len(tags) != 2 || a.Body["version"] != float64(1) {
				t.Fatalf("created article: %v", a.Body)
			}
			sameAsRead(t, client, a)
			checkBudget(t, d, "a create with two tags, "+c.name, stmts, c.budget)
		}
	})
}

func TestPublishRunsAtMostItsStatementBudget(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		client, log := countingClient(t, d)
		_, goSlug, _ := createTag(t, client, "Go")
		a := createArticle(t, client, "Counting", map[string]any{"tags": []string{goSlug}})
		log.reset()
		got := asArticle(t, mustStatus(t, act(client, a, "publish", nil), 200, "publish"))
		stmts := log.statements()
		if got.Status != "published" || got.Body["version"] != float64(2) {
			t.Fatalf("published article: %v", got.Body)
		}
		sameAsRead(t, client, got)
		checkBudget(t, d, "a publish", stmts, maxPublishStatements)
		// An unchanged body is not written again: writing it would recompute the search vector
		// (PostgreSQL) or re-index the article (SQLite FTS) for nothing.
		for _, s := range stmts {
			if strings.HasPrefix(s, "UPDATE") && strings.Contains(s, "body_text") {
				t.Errorf("a publish rewrote the body: %s", s)
			}
		}
	})
}

// countingClient is a client of a new app on d whose token was used once already (as on a live
// server, where its last use is written at most once a minute and off the request path), and the
// log that counts the statements of its requests.
func countingClient(t *testing.T, d config.Dialect, adjust ...func(*config.Config)) (*apitest.Client, *statementLog) {
	t.Helper()
	app := newTestApp(t, d, append([]func(*config.Config){warmPrincipals}, adjust...)...)
	boot, err := app.Identity.Bootstrap(context.Background(), "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	log := logStatements(t, app.DB)
	client := apitest.New(t, marked(app.Server.Handler)).WithToken(boot.Token.Plaintext)
	mustStatus(t, client.Do("GET", "/api/v1/admin/me", nil), 200, "first use of the token")
	return client, log
}

func checkBudget(t *testing.T, d config.Dialect, what string, stmts []string, budget int) {
	t.Helper()
	for i, s := range stmts {
		t.Logf("%d: %s", i+1, s)
	}
	if len(stmts) > budget {
		t.Errorf("%s ran %d statements on %s, want at most %d", what, len(stmts), d, budget)
	}
}

// warmPrincipals turns the principal cache on (it is off by default).
func warmPrincipals(c *config.Config) { c.Identity.PrincipalCacheTTL = 5 * time.Second }

// sameAsRead checks that a write answered the article exactly as a read of it answers now: the
// write builds its answer from what it wrote instead of reading it back.
func sameAsRead(t *testing.T, c *apitest.Client, written adminArticle) {
	t.Helper()
	read := asArticle(t, mustStatus(t, c.Do("GET", articlesPath+"/"+written.ID, nil), 200, "read "+written.ID))
	if !reflect.DeepEqual(written.Body, read.Body) || written.ETag != read.ETag {
		t.Errorf("the write answered\n%v (ETag %s)\nbut a read answers\n%v (ETag %s)", written.Body, written.ETag, read.Body, read.ETag)
	}
}
