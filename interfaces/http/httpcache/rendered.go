package httpcache

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/gin-gonic/gin"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/klauspost/compress/gzip"
)

// gzipMinSize matches the compression wrapper: smaller bodies are sent as they are.
const gzipMinSize = 1024

// Rendered is a ready public answer: the JSON body, its gzip encoding (for bodies worth
// compressing) and its strong ETag. Serving one costs no encoding, hashing or compression.
type Rendered struct {
	body []byte
	gz   []byte
	etag string
}

// Render prepares body for serving many times.
func Render(body []byte) Rendered {
	r := Rendered{body: body, etag: `"` + strconv.FormatUint(xxhash.Sum64(body), 36) + `"`}
	if len(body) >= gzipMinSize {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // once per entry, so pay for size
		_, _ = zw.Write(body)
		if zw.Close() == nil {
			r.gz = buf.Bytes()
		}
	}
	return r
}

// RenderedCache keeps rendered public answers in this process, keyed by the application's cache
// stamp (which carries the content generation) and the request's query: a write anywhere bumps the
// generation, so an answer rendered before it is never served after it.
type RenderedCache struct {
	entries *expirable.LRU[string, Rendered]
}

// NewRenderedCache holds at most size answers for at most ttl.
func NewRenderedCache(size int, ttl time.Duration) *RenderedCache {
	return &RenderedCache{entries: expirable.NewLRU[string, Rendered](size, nil, ttl)}
}

// Get returns the answer rendered for key.
func (c *RenderedCache) Get(key string) (Rendered, bool) { return c.entries.Get(key) }

// Add keeps an answer.
func (c *RenderedCache) Add(key string, r Rendered) { c.entries.Add(key, r) }

// Serve answers a rendered response: 304 when the client has it, the gzip bytes when the client
// accepts them (with the representation's own ETag, as the compression wrapper would), the JSON
// otherwise.
func (p Policy) Serve(c *gin.Context, r Rendered) {
	h := c.Writer.Header()
	h.Set("Cache-Control", p.header())
	h.Set("Vary", "Accept-Encoding")
	etag := r.etag
	body := r.body
	if r.gz != nil && acceptsGzip(c.Request) {
		etag = strings.TrimSuffix(etag, `"`) + GzipETagSuffix + `"`
		body = r.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if Matches(c.GetHeader("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// acceptsGzip reports whether Accept-Encoding names gzip with a non-zero quality.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}
