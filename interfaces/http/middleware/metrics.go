package middleware

import (
	"time"

	"github.com/gin-gonic/gin"
)

// HTTPMetrics records request outcomes; infrastructure/metrics implements it with Prometheus.
type HTTPMetrics interface {
	RequestStarted()
	RequestFinished(route, method string, status int, elapsed time.Duration)
}

// Metrics counts requests by route template, method and status, times them and tracks in-flight ones.
// A request the client abandoned counts as 499, not as a failure of the server.
func Metrics(m HTTPMetrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		m.RequestStarted()
		c.Next()
		m.RequestFinished(routeOf(c), c.Request.Method, statusOf(c), time.Since(start))
	}
}
