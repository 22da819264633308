package middleware

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// HTTPMetrics records request outcomes; infrastructure/metrics implements it with Prometheus.
type HTTPMetrics interface {
	RequestStarted()
	RequestFinished(route, method string, status int, elapsed time.Duration)
	// ProblemAnswered counts a request answered with a problem, by its code.
	ProblemAnswered(route, code string)
}

// Metrics counts requests by route template, method and status, times them and tracks in-flight ones.
// A request the client abandoned counts as 499, not as a failure of the server.
func Metrics(m HTTPMetrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		m.RequestStarted()
		c.Next()
		route := routeOf(c)
		m.RequestFinished(route, c.Request.Method, statusOf(c), time.Since(start))
		if code := problem.CodeOf(c); code != "" {
			m.ProblemAnswered(route, code)
		}
	}
}
