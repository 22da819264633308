package middleware

import (
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/reqctx"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// AccessLog gives every request a logger carrying its request id (for the problem writer and
// handlers) and, when enabled, writes one line per request with the acting user, if any. Headers
// and query strings are never logged: the Authorization header holds a secret.
func AccessLog(base *zap.Logger, enabled bool) gin.HandlerFunc {
	access := base.Named("access")
	return func(c *gin.Context) {
		start := time.Now()
		id := reqctx.RequestID(c.Request.Context())
		problem.SetLogger(c, base.With(zap.String("request_id", id)))
		c.Next()
		if !enabled {
			return
		}
		fields := []zap.Field{
			zap.String("method", c.Request.Method),
			zap.String("route", routeOf(c)),
			zap.Int("status", statusOf(c)),
			zap.Int("bytes", max(c.Writer.Size(), 0)),
			zap.Duration("latency", time.Since(start)),
			zap.String("request_id", id),
			zap.String("client_ip", c.ClientIP()),
		}
		// The auth middleware replaced c.Request with one whose context carries the principal.
		if p, ok := authz.PrincipalFrom(c.Request.Context()); ok {
			fields = append(fields, zap.String("user_id", p.UserID), zap.String("token_id", p.TokenID))
		}
		access.Info("request", fields...)
	}
}

// routeOf is the route template (bounded cardinality for logs and metrics).
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// statusOf is the request's outcome as logs and metrics record it: the status written, or 499 when
// the client went away before any answer was written (gin would report its default 200).
func statusOf(c *gin.Context) int {
	if !c.Writer.Written() && problem.ClientGone(c) {
		return problem.StatusClientClosedRequest
	}
	return c.Writer.Status()
}
