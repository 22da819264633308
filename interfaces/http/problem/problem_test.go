package problem_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// TestEvery503CarriesRetryAfter: a database fault answers 503 with Retry-After and records its code
// for the metrics; other problems have no Retry-After from the writer.
func TestEvery503CarriesRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err        error
		status     int
		code       string
		retryAfter string
	}{
		{fmt.Errorf("article repository: get: %w", shared.ErrDatabaseUnavailable.WithCause(fmt.Errorf("dial tcp: connection refused"))),
			http.StatusServiceUnavailable, "database_unavailable", strconv.Itoa(problem.RetryAfter)},
		{shared.NotFound("article_not_found", "no such article"), http.StatusNotFound, "article_not_found", ""},
	} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest("GET", "/", nil)
		problem.Respond(c, tc.err)
		if rec.Code != tc.status || rec.Header().Get("Retry-After") != tc.retryAfter || problem.CodeOf(c) != tc.code {
			t.Errorf("%v: %d Retry-After %q code %q; want %d %q %q", tc.err, rec.Code, rec.Header().Get("Retry-After"),
				problem.CodeOf(c), tc.status, tc.retryAfter, tc.code)
		}
	}
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest("GET", "/readyz", nil)
	problem.Write(c, http.StatusServiceUnavailable, "not_ready", "the database is not reachable")
	if rec.Header().Get("Retry-After") == "" {
		t.Error("a 503 written from parts has no Retry-After")
	}
}
