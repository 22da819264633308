// Package httpapi is Inkwell's HTTP interface: the gin engine, its middleware, and one handler package
// per bounded context. Handlers are thin: bind, call one application method, map the result.
package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"
	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/middleware"
	"github.com/inkwell-cms/inkwell/interfaces/http/ops"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// Options are the HTTP settings the router needs (mapped from the configuration in cmd).
type Options struct {
	BodyLimit      int64
	AccessLog      bool
	TrustedProxies []string
	CORSOrigins    []string
	PublicQuota    ratelimit.Quota // per client IP on the public API
	UserQuota      ratelimit.Quota // per user (all their tokens together) on the management API
	// Cache-Control of public GETs: how long shared caches keep an answer, and how long after that
	// they may serve it while they revalidate.
	PublicMaxAge               time.Duration
	PublicStaleWhileRevalidate time.Duration
	// How long after that they may serve it when the API fails (stale-if-error).
	PublicStaleIfError time.Duration
}

// Groups are where a module mounts its routes.
type Groups struct {
	API   *gin.RouterGroup // /api/v1, public
	Admin *gin.RouterGroup // /api/v1/admin, only with a valid API token (the principal is in the context); answers are private, no-store
	// PublicCache writes public GET answers: strong ETag, 304 and the configured Cache-Control.
	PublicCache httpcache.Policy
}

// Module is a bounded context's handler set.
type Module interface {
	Register(g Groups)
}

// NewRouter builds the engine: middleware in order (request id first so everything after can log
// it; recovery inside the access log so a panic is logged with its status), ops routes, modules.
func NewRouter(opts Options, log *zap.Logger, metrics middleware.HTTPMetrics, limiter ratelimit.Limiter,
	auth middleware.TokenAuthenticator, idem middleware.IdempotencyService, opsHandler *ops.Handler, modules []Module) (*gin.Engine, error) {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(opts.TrustedProxies); err != nil {
		return nil, err
	}
	r.Use(
		middleware.RequestID(),
		middleware.AccessLog(log, opts.AccessLog),
		middleware.Metrics(metrics),
		middleware.Recovery(),
		middleware.SecurityHeaders(),
		middleware.CORS(opts.CORSOrigins),
		middleware.PublicRateLimit(limiter, opts.PublicQuota),
		middleware.QueryLimit(),
		middleware.BodyLimit(opts.BodyLimit),
	)
	r.NoRoute(func(c *gin.Context) {
		problem.Write(c, http.StatusNotFound, "route_not_found", "no such endpoint; see /openapi.yaml")
	})
	r.NoMethod(func(c *gin.Context) {
		problem.Write(c, http.StatusMethodNotAllowed, "method_not_allowed", "this endpoint does not answer that method")
	})
	opsHandler.Register(r)
	api := r.Group("/api/v1")
	groups := Groups{API: api, Admin: api.Group("/admin", httpcache.Private(),
		middleware.Authenticate(auth), middleware.UserRateLimit(limiter, opts.UserQuota), middleware.Idempotency(idem)),
		PublicCache: httpcache.Policy{MaxAge: opts.PublicMaxAge, StaleWhileRevalidate: opts.PublicStaleWhileRevalidate,
			StaleIfError: opts.PublicStaleIfError}}
	for _, m := range modules {
		m.Register(groups)
	}
	return r, nil
}

// Timeouts are the http.Server limits against slow clients.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// NewServer wraps the engine in an http.Server with the timeouts set and gzip for bodies over 1 KiB
// when the client accepts it (a compressed representation gets its own ETag).
func NewServer(addr string, handler *gin.Engine, t Timeouts) (*http.Server, error) {
	compress, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.SuffixETag(httpcache.GzipETagSuffix))
	if err != nil {
		return nil, fmt.Errorf("gzip wrapper: %w", err)
	}
	return &http.Server{
		Addr:              addr,
		Handler:           compress(handler),
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
	}, nil
}
