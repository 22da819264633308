package middleware

import (
	"slices"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
)

// CORS allows browsers on the configured origins ("*" = any) to call the API, including the
// management API with a bearer token (no cookies are used, so credentials stay off).
func CORS(origins []string) gin.HandlerFunc {
	cfg := cors.Config{
		AllowMethods: []string{"GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"},
		AllowHeaders: []string{"Authorization", "Content-Type", "If-Match", "If-None-Match",
			"Idempotency-Key", "X-Request-ID"},
		ExposeHeaders: []string{"ETag", "Location", "X-Request-ID", "Retry-After", "RateLimit-Limit",
			"RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed"},
		MaxAge: 12 * time.Hour,
	}
	if len(origins) == 0 || slices.Contains(origins, "*") {
		cfg.AllowAllOrigins = true
	} else {
		cfg.AllowOrigins = origins
	}
	return cors.New(cfg)
}
