package middleware

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// apiCSP forbids everything: API responses are data, never documents to render or frame.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// SecurityHeaders sets the headers every response carries. The interactive reference under /docs
// runs scripts, so it gets no CSP (but keeps the rest).
func SecurityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if !strings.HasPrefix(c.Request.URL.Path, "/docs") {
			h.Set("Content-Security-Policy", apiCSP)
		}
		c.Next()
	}
}
