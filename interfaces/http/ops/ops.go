// Package ops serves the operational endpoints of the API listener: liveness, readiness and the
// contract. Metrics are served apart from the API (cmd/inkwell's metrics listener).
package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/swaggest/swgui/v5emb"

	"github.com/inkwell-cms/inkwell/api"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Pinger checks a dependency the server cannot serve without (the database).
type Pinger interface {
	Ping(ctx context.Context) error
}

// readyDeadline bounds the readiness check so a hung database fails it instead of hanging it.
const readyDeadline = 2 * time.Second

// Handler serves /healthz, /readyz, /openapi.yaml and /docs.
type Handler struct {
	db Pinger
}

// NewHandler returns the ops handler.
func NewHandler(db Pinger) *Handler {
	return &Handler{db: db}
}

// Register mounts the endpoints on the engine's root.
func (h *Handler) Register(r gin.IRoutes) {
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)
	r.GET("/openapi.yaml", h.openapi)
	docs := gin.WrapH(v5emb.New("Inkwell API reference", "/openapi.yaml", "/docs/"))
	r.GET("/docs", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/docs/") })
	r.GET("/docs/*asset", docs)
}

func (h *Handler) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (h *Handler) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyDeadline)
	defer cancel()
	if err := h.db.Ping(ctx); err != nil {
		problem.Logger(c).Warn("not ready: database unreachable")
		problem.Write(c, http.StatusServiceUnavailable, "not_ready", "the database is not reachable")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (h *Handler) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml", api.OpenAPI)
}
