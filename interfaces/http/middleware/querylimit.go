package middleware

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// MaxQueryLength bounds the query string: every legitimate query (filters, a cursor, a field list)
// fits in far less, and parsing a huge one is wasted work.
const MaxQueryLength = 4096

// QueryLimit answers 414 to a request whose query string is longer than MaxQueryLength.
func QueryLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		if len(c.Request.URL.RawQuery) > MaxQueryLength {
			problem.Write(c, http.StatusRequestURITooLong, "uri_too_long", "the query string is longer than 4096 bytes")
			return
		}
		c.Next()
	}
}
