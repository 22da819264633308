// Package httpcache writes cacheable public responses: a strong ETag from the body, If-None-Match
// answered with 304, and Cache-Control from the configured policy.
package httpcache

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// GzipETagSuffix is what the compression wrapper appends inside the quotes of the ETag of a
// compressed representation, so each representation has its own strong tag.
const GzipETagSuffix = "-gz"

// Policy is the Cache-Control of public GETs.
type Policy struct {
	MaxAge               time.Duration
	StaleWhileRevalidate time.Duration
	// StaleIfError lets shared caches and browsers serve their copy when the API answers an error
	// (a 503 while the database restarts) for this long past max-age (RFC 5861); 0 leaves it out.
	// It cannot resurrect content a write replaced: writes fail while the database does.
	StaleIfError time.Duration
}

func (p Policy) header() string {
	h := fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d",
		int(p.MaxAge.Seconds()), int(p.StaleWhileRevalidate.Seconds()))
	if p.StaleIfError > 0 {
		h += fmt.Sprintf(", stale-if-error=%d", int(p.StaleIfError.Seconds()))
	}
	return h
}

// WriteJSON answers v as JSON with a strong ETag computed from the body, or 304 when the client
// already has it.
func (p Policy) WriteJSON(c *gin.Context, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		problem.Respond(c, fmt.Errorf("encode public answer: %w", err))
		return
	}
	p.WriteBody(c, body)
}

// WriteBody answers a ready JSON body the same way.
func (p Policy) WriteBody(c *gin.Context, body []byte) {
	etag := `"` + strconv.FormatUint(xxhash.Sum64(body), 36) + `"`
	h := c.Writer.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", p.header())
	if Matches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// Matches reports whether an If-None-Match value names etag (or is "*"). Weak comparison, as RFC
// 9110 asks for If-None-Match; the gzip suffix is ignored because both representations carry the
// same content.
func Matches(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	want := normalize(etag)
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || normalize(candidate) == want {
			return true
		}
	}
	return false
}

// StripEncoding removes the weak prefix and the gzip suffix from an entity tag, so a version ETag
// sent back in If-Match parses whatever representation the client saw.
func StripEncoding(etag string) string { return normalize(etag) }

func normalize(etag string) string {
	etag = strings.TrimPrefix(strings.TrimSpace(etag), "W/")
	return strings.Replace(etag, GzipETagSuffix+`"`, `"`, 1)
}
