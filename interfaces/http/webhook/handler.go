// Package webhookhttp serves the admin's webhook endpoints and their deliveries.
package webhookhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/domain/shared"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Handler maps HTTP to the webhook service, which enforces that only admins get through.
type Handler struct {
	svc *webhookapp.Service
}

// NewHandler returns the webhook handler.
func NewHandler(svc *webhookapp.Service) *Handler { return &Handler{svc: svc} }

// Register mounts the routes.
func (h *Handler) Register(g httpapi.Groups) {
	g.Admin.POST("/webhooks", h.create)
	g.Admin.GET("/webhooks", h.list)
	g.Admin.GET("/webhooks/:id", h.get)
	g.Admin.PATCH("/webhooks/:id", h.update)
	g.Admin.DELETE("/webhooks/:id", h.delete)
	g.Admin.POST("/webhooks/:id/rotate-secret", h.rotateSecret)
	g.Admin.GET("/webhooks/:id/deliveries", h.listDeliveries)
	g.Admin.POST("/webhooks/:id/deliveries/:delivery_id/redeliver", h.redeliver)
}

// create answers the secret once, marked as a secret: no cache and no idempotent replay keeps it.
func (h *Handler) create(c *gin.Context) {
	var req createWebhookRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	e, err := h.svc.Create(c.Request.Context(), webhookapp.CreateEndpoint{
		URL: req.URL, Events: req.Events, Enabled: req.Enabled, Description: req.Description,
	})
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/webhooks/"+e.ID)
	httpcache.SetVersionETag(c, e.Version)
	httpcache.MarkSecret(c)
	c.JSON(http.StatusCreated, toWebhookWithSecret(e))
}

func (h *Handler) list(c *gin.Context) {
	r, err := paging.Parse(c, webhookapp.EndpointOrder)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.List(c.Request.Context(), r)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.Of(page, toWebhook))
}

func (h *Handler) get(c *gin.Context) {
	e, err := h.svc.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.SetVersionETag(c, e.Version)
	c.JSON(http.StatusOK, toWebhook(e))
}

// update applies a JSON merge patch; If-Match is required (the service answers 428 without it).
func (h *Handler) update(c *gin.Context) {
	var req updateWebhookRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	cmd, err := updateCommand(req)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	version, _, err := httpcache.OptionalIfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	e, err := h.svc.Update(c.Request.Context(), c.Param("id"), version, cmd)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.SetVersionETag(c, e.Version)
	c.JSON(http.StatusOK, toWebhook(e))
}

// delete honours If-Match when it is sent (see webhookapp.Service.Delete).
func (h *Handler) delete(c *gin.Context) {
	version, conditional, err := httpcache.OptionalIfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	var expected *shared.Version
	if conditional {
		expected = &version
	}
	if err := h.svc.Delete(c.Request.Context(), c.Param("id"), expected); err != nil {
		problem.Respond(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handler) rotateSecret(c *gin.Context) {
	e, err := h.svc.RotateSecret(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.SetVersionETag(c, e.Version)
	httpcache.MarkSecret(c)
	c.JSON(http.StatusOK, toWebhookWithSecret(e))
}
