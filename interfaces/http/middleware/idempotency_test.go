package middleware_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/idempotency"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/clock"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/middleware"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// The fake authentication's stand-ins for a token: its user, and optionally its id and read-only flag.
const (
	userHeader     = "X-Test-User"
	tokenHeader    = "X-Test-Token"
	readOnlyHeader = "X-Test-Read-Only"
)

var (
	alice = clock.NewUUIDv7().NewID()
	bob   = clock.NewUUIDv7().NewID()
)

// app is a tiny engine with the production middleware order around the idempotency middleware:
// request id, recovery, body limit, authentication (faked), idempotency, handlers.
type app struct {
	engine  *gin.Engine
	runs    atomic.Int64  // handler executions, whatever the route
	entered chan struct{} // /slow signals it is running
	release chan struct{} // and waits for this
	fail    atomic.Int64  // how many more /flaky calls fail with a 500
}

func newApp(t *testing.T, db *persistence.DB) *app {
	t.Helper()
	svc := idempotency.NewService(idempotency.Config{}, persistence.NewIdempotencyStore(db), clock.NewSystem(), clock.NewUUIDv7())
	a := &app{engine: gin.New(), entered: make(chan struct{}, 1), release: make(chan struct{})}
	fakeAuth := func(c *gin.Context) {
		if id := c.GetHeader(userHeader); id != "" {
			p := authz.Principal{UserID: id, Role: identity.RoleEditor, TokenID: "token-of-" + id,
				ReadOnly: c.GetHeader(readOnlyHeader) == "true"}
			if tok := c.GetHeader(tokenHeader); tok != "" {
				p.TokenID = tok
			}
			c.Request = c.Request.WithContext(authz.WithPrincipal(c.Request.Context(), p))
		}
		c.Next()
	}
	a.engine.Use(middleware.RequestID(), middleware.Recovery(), middleware.BodyLimit(1<<10), httpcache.Private(), fakeAuth,
		middleware.Idempotency(svc))
	create := func(c *gin.Context) {
		n := a.runs.Add(1)
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			problem.Respond(c, err)
			return
		}
		if string(body) == `{"title":""}` {
			problem.Respond(c, shared.Validation(shared.FieldError{Field: "title", Message: "is required"}))
			return
		}
		c.Header("Location", fmt.Sprintf("/things/%d", n))
		c.Header("ETag", fmt.Sprintf(`"%d"`, n))
		c.Header("X-Not-Stored", "per exchange")
		c.JSON(http.StatusCreated, gin.H{"n": n, "echo": string(body)})
	}
	a.engine.POST("/things", create)
	// /guarded is a write a read-only token may not make (the application layer's 403).
	a.engine.POST("/guarded", func(c *gin.Context) {
		if p, _ := authz.PrincipalFrom(c.Request.Context()); p.ReadOnly {
			a.runs.Add(1)
			problem.Respond(c, shared.ErrForbidden)
			return
		}
		create(c)
	})
	// /secret answers a secret shown once.
	a.engine.POST("/secret", func(c *gin.Context) {
		n := a.runs.Add(1)
		c.Header("Location", fmt.Sprintf("/things/%d", n))
		httpcache.MarkSecret(c)
		c.JSON(http.StatusCreated, gin.H{"secret": "ink_shown_once"})
	})
	a.engine.GET("/things", create)
	a.engine.POST("/slow", func(c *gin.Context) {
		a.entered <- struct{}{}
		<-a.release
		create(c)
	})
	a.engine.POST("/flaky", func(c *gin.Context) {
		if a.fail.Add(-1) >= 0 {
			a.runs.Add(1)
			problem.Respond(c, errors.New("the database is down"))
			return
		}
		create(c)
	})
	a.engine.POST("/panics", func(c *gin.Context) {
		if a.runs.Load() == 0 {
			a.runs.Add(1)
			panic("handler bug")
		}
		create(c)
	})
	return a
}

// do sends a request; headers are key, value pairs (a repeated key is sent twice).
func (a *app) do(method, path, body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header[headers[i]] = append(req.Header[headers[i]], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.engine.ServeHTTP(rec, req)
	return rec
}

func (a *app) post(path, body, user, key string) *httptest.ResponseRecorder {
	return a.do(http.MethodPost, path, body, userHeader, user, middleware.IdempotencyKeyHeader, key)
}

func expectProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	var p struct {
		Status    int    `json:"status"`
		Code      string `json:"code"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != status || p.Status != status || p.Code != code ||
		p.RequestID == "" || rec.Header().Get("Content-Type") != problem.ContentType {
		t.Fatalf("got %d %s %s, want a %d %s problem", rec.Code, rec.Header().Get("Content-Type"), rec.Body, status, code)
	}
}

func expectCreated(t *testing.T, rec *httptest.ResponseRecorder, n int, replayed bool) {
	t.Helper()
	loc, etag := fmt.Sprintf("/things/%d", n), fmt.Sprintf(`"%d"`, n)
	if rec.Code != http.StatusCreated || rec.Header().Get("Location") != loc || rec.Header().Get("ETag") != etag ||
		rec.Header().Get("Content-Type") != "application/json; charset=utf-8" || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"n":%d`, n)) {
		t.Fatalf("got %d Location %q ETag %q: %s; want 201 for thing %d", rec.Code, rec.Header().Get("Location"), rec.Header().Get("ETag"), rec.Body, n)
	}
	if got := rec.Header().Get(middleware.IdempotentReplayedHeader); (got == "true") != replayed || (!replayed && got != "") {
		t.Fatalf("Idempotent-Replayed %q, replayed should be %v", got, replayed)
	}
}

func (a *app) expectRuns(t *testing.T, want int64) {
	t.Helper()
	if got := a.runs.Load(); got != want {
		t.Fatalf("the handler ran %d times, want %d", got, want)
	}
}

func TestIdempotencyReplaysTheFirstResponse(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a := newApp(t, db)
		first := a.post("/things", `{"title":"Hello"}`, alice, "key-1")
		expectCreated(t, first, 1, false)
		if !strings.Contains(first.Body.String(), `"echo":"{\"title\":\"Hello\"}"`) {
			t.Fatalf("the handler did not get the body: %s", first.Body)
		}
		again := a.post("/things", `{"title":"Hello"}`, alice, "key-1")
		expectCreated(t, again, 1, true)
		if again.Body.String() != first.Body.String() {
			t.Fatalf("replayed body %s, want %s", again.Body, first.Body)
		}
		if again.Header().Get("X-Not-Stored") != "" || again.Header().Get(middleware.RequestIDHeader) == first.Header().Get(middleware.RequestIDHeader) {
			t.Fatal("a replay must carry only the stored headers and its own request id")
		}
		a.expectRuns(t, 1)

		// Keys are per user; a client error is a response like any other and is replayed too.
		expectCreated(t, a.post("/things", `{"title":"Hello"}`, bob, "key-1"), 2, false)
		expectProblem(t, a.post("/things", `{"title":""}`, alice, "key-2"), http.StatusUnprocessableEntity, "validation_failed")
		replayed := a.post("/things", `{"title":""}`, alice, "key-2")
		expectProblem(t, replayed, http.StatusUnprocessableEntity, "validation_failed")
		if replayed.Header().Get(middleware.IdempotentReplayedHeader) != "true" {
			t.Fatal("the stored 422 was not replayed")
		}
		a.expectRuns(t, 3)
	})
}

func TestIdempotencyKeyReusedForAnotherRequestIs422(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a := newApp(t, db)
		expectCreated(t, a.post("/things", `{"title":"Hello"}`, alice, "key-1"), 1, false)
		expectProblem(t, a.post("/things", `{"title":"Other"}`, alice, "key-1"), http.StatusUnprocessableEntity, "idempotency_key_reused")
		expectProblem(t, a.post("/things?draft=1", `{"title":"Hello"}`, alice, "key-1"), http.StatusUnprocessableEntity, "idempotency_key_reused")
		expectProblem(t, a.post("/slow", `{"title":"Hello"}`, alice, "key-1"), http.StatusUnprocessableEntity, "idempotency_key_reused")
		a.expectRuns(t, 1)
	})
}

func TestIdempotencyRequestInFlightIs409(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a := newApp(t, db)
		var wg sync.WaitGroup
		var first *httptest.ResponseRecorder
		wg.Go(func() { first = a.post("/slow", `{"title":"Slow"}`, alice, "key-1") })
		<-a.entered
		expectProblem(t, a.post("/slow", `{"title":"Slow"}`, alice, "key-1"), http.StatusConflict, "idempotency_request_in_flight")
		close(a.release)
		wg.Wait()
		expectCreated(t, first, 1, false)
		expectCreated(t, a.post("/slow", `{"title":"Slow"}`, alice, "key-1"), 1, true)
		a.expectRuns(t, 1)
	})
}

func TestIdempotencyDoesNotStoreServerErrors(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a := newApp(t, db)
		a.fail.Store(1)
		expectProblem(t, a.post("/flaky", `{"title":"Hello"}`, alice, "key-1"), http.StatusInternalServerError, "internal_error")
		expectCreated(t, a.post("/flaky", `{"title":"Hello"}`, alice, "key-1"), 2, false) // ran again
		expectCreated(t, a.post("/flaky", `{"title":"Hello"}`, alice, "key-1"), 2, true)
		a.expectRuns(t, 2)

		b := newApp(t, db)
		expectProblem(t, b.post("/panics", `{}`, alice, "key-2"), http.StatusInternalServerError, "internal_error")
		expectCreated(t, b.post("/panics", `{}`, alice, "key-2"), 2, false)
		expectCreated(t, b.post("/panics", `{}`, alice, "key-2"), 2, true)
	})
}

func TestIdempotencyRefusesInvalidKeys(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a := newApp(t, db)
		for _, key := range []string{"", strings.Repeat("k", 256), "bell\x07", "tab\tkey", "clé", "del\x7f"} {
			expectProblem(t, a.post("/things", `{}`, alice, key), http.StatusBadRequest, "invalid_idempotency_key")
		}
		twice := a.do(http.MethodPost, "/things", `{}`, userHeader, alice,
			middleware.IdempotencyKeyHeader, "a", middleware.IdempotencyKeyHeader, "b")
		expectProblem(t, twice, http.StatusBadRequest, "invalid_idempotency_key")
		a.expectRuns(t, 0)
		expectCreated(t, a.post("/things", `{}`, alice, strings.Repeat("k", 255)), 1, false)
	})
}

func TestIdempotencyLeavesOtherRequestsAlone(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		a := newApp(t, db)
		for n := 1; n <= 2; n++ {
			rec := a.do(http.MethodPost, "/things", `{"title":"Hello"}`, userHeader, alice)
			expectCreated(t, rec, n, false)
			if !strings.Contains(rec.Body.String(), `Hello`) {
				t.Fatalf("the handler did not get the body: %s", rec.Body)
			}
		}
		for n := 3; n <= 4; n++ {
			expectCreated(t, a.do(http.MethodGet, "/things", "", userHeader, alice, middleware.IdempotencyKeyHeader, "get-key"), n, false)
		}
		// Without a principal (a route the auth middleware does not guard) the header is refused,
		// since there is no user to scope the key to; without the header nothing changes.
		expectProblem(t, a.do(http.MethodPost, "/things", `{}`, middleware.IdempotencyKeyHeader, "k"), http.StatusUnauthorized, "unauthorized")
		expectCreated(t, a.do(http.MethodPost, "/things", `{}`), 5, false)
		// A body over the limit without a Content-Length is found out while hashing: still a 413,
		// and the key stays free.
		req := httptest.NewRequest(http.MethodPost, "/things", io.NopCloser(strings.NewReader(strings.Repeat("x", 2<<10))))
		req.Header.Set(userHeader, alice)
		req.Header.Set(middleware.IdempotencyKeyHeader, "big")
		rec := httptest.NewRecorder()
		a.engine.ServeHTTP(rec, req)
		if req.ContentLength != -1 {
			t.Fatalf("the request has a Content-Length (%d): BodyLimit alone would answer", req.ContentLength)
		}
		expectProblem(t, rec, http.StatusRequestEntityTooLarge, "body_too_large")
		a.expectRuns(t, 5)
		expectCreated(t, a.post("/things", `{}`, alice, "big"), 6, false)
	})
}

// TestIdempotencyKeysAreBoundToTheToken: a read-only token of the same user never replays a
// read-write token's answer, and its 403 is not stored, so the read-write token's retry still runs.
func TestIdempotencyKeysAreBoundToTheToken(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, db *persistence.DB) {
		{
			a := newApp(t, db)
			rw := []string{userHeader, alice, tokenHeader, "rw-token", middleware.IdempotencyKeyHeader}
			ro := []string{userHeader, alice, tokenHeader, "ro-token", readOnlyHeader, "true", middleware.IdempotencyKeyHeader}
			expectCreated(t, a.do(http.MethodPost, "/guarded", `{"t":1}`, append(rw, "k1")...), 1, false)
			expectProblem(t, a.do(http.MethodPost, "/guarded", `{"t":1}`, append(ro, "k1")...), 422, "idempotency_key_reused")
			other := []string{userHeader, alice, tokenHeader, "rw-token-2", middleware.IdempotencyKeyHeader, "k1"}
			expectProblem(t, a.do(http.MethodPost, "/guarded", `{"t":1}`, other...), 422, "idempotency_key_reused")
			expectCreated(t, a.do(http.MethodPost, "/guarded", `{"t":1}`, append(rw, "k1")...), 1, true)

			// A 403 under a fresh key is answered but not kept: the read-only token gets its own
			// 403 again, and the key stays free for the read-write token.
			expectProblem(t, a.do(http.MethodPost, "/guarded", `{"t":2}`, append(ro, "k2")...), 403, "forbidden")
			if rec := a.do(http.MethodPost, "/guarded", `{"t":2}`, append(ro, "k2")...); rec.Code != 403 || rec.Header().Get(middleware.IdempotentReplayedHeader) != "" {
				t.Fatalf("the 403 was replayed: %d %v", rec.Code, rec.Header())
			}
			expectCreated(t, a.do(http.MethodPost, "/guarded", `{"t":2}`, append(rw, "k2")...), 4, false)
		}
	})
}

// TestIdempotencyWithholdsOnlyMarkedSecrets: every answer here is private, no-store (as on the
// management API); only the one marked as a secret is withheld on replay.
func TestIdempotencyWithholdsOnlyMarkedSecrets(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.Dialects(t)[0]))
	first := a.post("/things", `{"a":1}`, alice, "plain")
	if first.Header().Get("Cache-Control") != httpcache.PrivateNoStore {
		t.Fatalf("Cache-Control %q", first.Header().Get("Cache-Control"))
	}
	expectCreated(t, a.post("/things", `{"a":1}`, alice, "plain"), 1, true)

	if rec := a.post("/secret", `{}`, alice, "secret"); rec.Code != 201 || !strings.Contains(rec.Body.String(), "ink_shown_once") {
		t.Fatalf("secret: %d %s", rec.Code, rec.Body)
	}
	rec := a.post("/secret", `{}`, alice, "secret")
	expectProblem(t, rec, 409, "idempotent_answer_withheld")
	if strings.Contains(rec.Body.String(), "ink_shown_once") || rec.Header().Get("Location") != "/things/2" {
		t.Fatalf("withheld replay: %s %v", rec.Body, rec.Header())
	}
}
