package httpcache

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// This file is the one home of version ETags and If-Match preconditions: every resource with a
// version (articles, tags, users, webhooks…) formats and reads them here.

// CodeInvalidIfMatch is the code of an If-Match header that is not one version ETag.
const CodeInvalidIfMatch = "invalid_if_match"

var errInvalidIfMatch = shared.Malformed(CodeInvalidIfMatch, `If-Match must be one ETag this API returned, such as "3"`)

// VersionETag renders a version as a strong entity tag: the quoted number.
func VersionETag(v shared.Version) string { return `"` + strconv.FormatInt(int64(v), 10) + `"` }

// SetVersionETag answers the version of the resource in the body as its ETag.
func SetVersionETag(c *gin.Context, v shared.Version) { c.Header("ETag", VersionETag(v)) }

// ParseVersionETag reads a version ETag back; a weak prefix and the gzip suffix a compressed answer
// carried are accepted, since both representations have the same version.
func ParseVersionETag(s string) (shared.Version, bool) {
	s = StripEncoding(s)
	if len(s) < 3 || s[0] != '"' || s[len(s)-1] != '"' {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:len(s)-1], 10, 64)
	if err != nil || n < 1 || strings.ContainsAny(s[1:len(s)-1], "+-") {
		return 0, false
	}
	return shared.Version(n), true
}

// IfMatch returns the version a change is conditional on. A missing header is 428
// precondition_required. A header that is not exactly one version ETag is 400 invalid_if_match: "*"
// or a list would let a client write without having seen the current version, which optimistic
// concurrency exists to prevent.
func IfMatch(c *gin.Context) (shared.Version, error) {
	v, ok, err := OptionalIfMatch(c)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, shared.ErrPreconditionRequired
	}
	return v, nil
}

// OptionalIfMatch is IfMatch for the resources where the precondition is optional (users, webhooks):
// ok is false when the header is absent; a malformed one is still 400 invalid_if_match.
func OptionalIfMatch(c *gin.Context) (v shared.Version, ok bool, err error) {
	raw := c.GetHeader("If-Match")
	if raw == "" {
		return 0, false, nil
	}
	if v, ok = ParseVersionETag(raw); !ok {
		return 0, false, errInvalidIfMatch
	}
	return v, true, nil
}
