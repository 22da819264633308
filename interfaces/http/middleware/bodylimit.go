package middleware

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// BodyLimit rejects bodies larger than limit bytes with 413: at once when Content-Length says so,
// and while reading otherwise (the decoder then fails with *http.MaxBytesError).
func BodyLimit(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			problem.Write(c, http.StatusRequestEntityTooLarge, "body_too_large", "the request body is larger than the limit")
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}
