package middleware

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// PublicRateLimit limits the public API per client IP (X-Forwarded-For is honoured only from the
// configured trusted proxies, which gin's ClientIP applies). The management API and the operations
// endpoints are left to their own limits.
func PublicRateLimit(l ratelimit.Limiter, q ratelimit.Quota) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := c.Request.URL.Path
		if q.RPS <= 0 || !strings.HasPrefix(p, "/api/v1/") || strings.HasPrefix(p, "/api/v1/admin") {
			c.Next()
			return
		}
		limit(c, l, q, "ip:"+c.ClientIP())
	}
}

// UserRateLimit limits the management API per user: all of a user's tokens share one bucket, so
// minting more tokens buys no more requests. It runs after authentication.
func UserRateLimit(l ratelimit.Limiter, q ratelimit.Quota) gin.HandlerFunc {
	return func(c *gin.Context) {
		principal, ok := authz.PrincipalFrom(c.Request.Context())
		if q.RPS <= 0 || !ok {
			c.Next()
			return
		}
		limit(c, l, q, "user:"+principal.UserID)
	}
}

var errRateLimited = shared.New(shared.KindRateLimited, "rate_limited", "too many requests; slow down and retry after the time in Retry-After")

func limit(c *gin.Context, l ratelimit.Limiter, q ratelimit.Quota, key string) {
	d, err := l.Take(c.Request.Context(), key, q)
	if err != nil {
		// A limiter outage must not take the API down with it: let the request through. The limiter
		// logs the outage once and counts the requests let through; a line per request would flood.
		c.Next()
		return
	}
	h := c.Writer.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(q.Burst))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(d.Remaining, 0)))
	h.Set("RateLimit-Reset", strconv.Itoa(ceilSeconds(d.ResetAfter)))
	if !d.Allowed {
		h.Set("Retry-After", strconv.Itoa(max(ceilSeconds(d.RetryAfter), 1)))
		problem.Respond(c, errRateLimited)
		return
	}
	c.Next()
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }
