package webhookhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	webhookapp "github.com/inkwell-cms/inkwell/application/webhook"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// listDeliveries pages an endpoint's deliveries, newest first, with every attempt.
func (h *Handler) listDeliveries(c *gin.Context) {
	r, err := paging.Parse(c, webhookapp.DeliveryOrder)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.ListDeliveries(c.Request.Context(), c.Param("id"), r)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.Of(page, toDelivery))
}

// redeliver queues a finished delivery again; 202 because the attempt happens later, in a relay.
func (h *Handler) redeliver(c *gin.Context) {
	d, err := h.svc.Redeliver(c.Request.Context(), c.Param("id"), c.Param("delivery_id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusAccepted, toDelivery(d))
}
