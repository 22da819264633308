package httpcache_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
)

func TestPublicCacheControlDeclaresStaleIfError(t *testing.T) {
	t.Parallel()
	for p, want := range map[httpcache.Policy]string{
		{MaxAge: time.Minute, StaleWhileRevalidate: 5 * time.Minute, StaleIfError: 24 * time.Hour}: "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400",
		{MaxAge: time.Minute, StaleWhileRevalidate: 5 * time.Minute}:                               "public, max-age=60, stale-while-revalidate=300",
	} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest("GET", "/", nil)
		p.WriteBody(c, []byte(`{}`))
		if got := rec.Header().Get("Cache-Control"); got != want {
			t.Errorf("Cache-Control %q, want %q", got, want)
		}
	}
}
