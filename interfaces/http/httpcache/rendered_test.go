package httpcache_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
)

func serve(t *testing.T, r httpcache.Rendered, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/", func(c *gin.Context) { httpcache.Policy{MaxAge: time.Minute}.Serve(c, r) })
	req := httptest.NewRequest("GET", "/", nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestRenderedAnswersServeJSONOrGzipWithTheirOwnETags(t *testing.T) {
	t.Parallel()
	body := []byte(`{"title":"` + strings.Repeat("x", 3000) + `"}`)
	r := httpcache.Render(body)

	plain := serve(t, r)
	if plain.Code != 200 || !bytes.Equal(plain.Body.Bytes(), body) || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("plain: %d %q", plain.Code, plain.Header())
	}
	zipped := serve(t, r, "Accept-Encoding", "br;q=1.0, gzip;q=0.5")
	if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Fatalf("gzip: %q", zipped.Header())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, body) {
		t.Fatal("the gzip bytes do not decode to the body")
	}
	if refused := serve(t, r, "Accept-Encoding", "gzip;q=0"); refused.Header().Get("Content-Encoding") != "" {
		t.Fatal("gzip;q=0 must get the plain body")
	}
	for _, etag := range []string{plain.Header().Get("ETag"), zipped.Header().Get("ETag")} {
		if nm := serve(t, r, "If-None-Match", etag, "Accept-Encoding", "gzip"); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
			t.Fatalf("If-None-Match %s: %d", etag, nm.Code)
		}
	}
	if small := serve(t, httpcache.Render([]byte(`{}`)), "Accept-Encoding", "gzip"); small.Header().Get("Content-Encoding") != "" {
		t.Fatal("a tiny body is not worth compressing")
	}
}
