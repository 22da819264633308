package bind

import (
	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
)

// CodeInvalidIfMatch is the code of an If-Match header that is not one version ETag.
const CodeInvalidIfMatch = "invalid_if_match"

// IfMatch returns the version a change is conditional on. A missing header is 428
// precondition_required. A header that is not exactly one version ETag ("3", also W/"3" and the
// "3-gz" a compressed response carried) is 400 invalid_if_match: "*" or a list would let a client
// write without having seen the current version, which optimistic concurrency exists to prevent.
func IfMatch(c *gin.Context) (shared.Version, error) {
	raw := c.GetHeader("If-Match")
	if raw == "" {
		return 0, shared.ErrPreconditionRequired
	}
	v, ok := shared.ParseETag(httpcache.StripEncoding(raw))
	if !ok {
		return 0, shared.InvalidInput(CodeInvalidIfMatch, `If-Match must be one ETag this API returned, such as "3"`)
	}
	return v, nil
}
