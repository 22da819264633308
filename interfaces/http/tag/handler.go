// Package taghttp serves tags: CRUD on the management API and the public tag list with article
// counts, both paged by cursor with the list kit.
package taghttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/shared"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Handler maps HTTP to the tag service.
type Handler struct {
	svc    *tagapp.Service
	public httpcache.Policy
}

// NewHandler returns the tag handler.
func NewHandler(svc *tagapp.Service) *Handler { return &Handler{svc: svc} }

// Register mounts the routes.
func (h *Handler) Register(g httpapi.Groups) {
	h.public = g.PublicCache
	g.API.GET("/tags", h.publicList)
	g.API.GET("/tags/:slug", h.publicGet)
	g.Admin.POST("/tags", h.create)
	g.Admin.GET("/tags", h.list)
	g.Admin.GET("/tags/:id", h.get)
	g.Admin.PATCH("/tags/:id", h.update)
	g.Admin.DELETE("/tags/:id", h.delete)
}

func (h *Handler) publicList(c *gin.Context) {
	r, err := paging.Parse(c, tagapp.PublicOrder)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.PublicTags(c.Request.Context(), r)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	h.public.WriteJSON(c, paging.Of(page, toPublic))
}

func (h *Handler) publicGet(c *gin.Context) {
	if err := bind.QueryParams(c); err != nil {
		problem.Respond(c, err)
		return
	}
	t, err := h.svc.PublicTag(c.Request.Context(), c.Param("slug"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	h.public.WriteJSON(c, toPublic(t))
}

func writeTag(c *gin.Context, status int, t tagapp.TagView) {
	httpcache.SetVersionETag(c, t.Version)
	c.JSON(status, toAdmin(t))
}

func (h *Handler) create(c *gin.Context) {
	var req createRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	t, err := h.svc.Create(c.Request.Context(), tagapp.CreateTag{Name: req.Name, Slug: req.Slug, Description: req.Description})
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/tags/"+t.ID)
	writeTag(c, http.StatusCreated, t)
}

func (h *Handler) list(c *gin.Context) {
	r, err := paging.Parse(c, tagapp.AdminOrder)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.List(c.Request.Context(), r)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.Of(page, toAdmin))
}

func (h *Handler) get(c *gin.Context) {
	t, err := h.svc.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeTag(c, http.StatusOK, t)
}

func (h *Handler) update(c *gin.Context) {
	expected, err := httpcache.IfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	var req *patchRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	if req == nil {
		problem.Respond(c, shared.Malformed(bind.CodeInvalidJSON, "the body must be a JSON object (a merge patch)"))
		return
	}
	if req.Name.Null {
		problem.Respond(c, shared.Validation(shared.FieldError{Field: "name", Message: "must not be null"}))
		return
	}
	cmd := tagapp.UpdateTag{Name: clearable(req.Name), Slug: clearable(req.Slug), Description: clearable(req.Description)}
	t, err := h.svc.Update(c.Request.Context(), c.Param("id"), expected, cmd)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	writeTag(c, http.StatusOK, t)
}

// delete removes the tag and takes it off its articles in the same transaction.
func (h *Handler) delete(c *gin.Context) {
	expected, err := httpcache.IfMatch(c)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	if err := h.svc.Delete(c.Request.Context(), c.Param("id"), expected); err != nil {
		problem.Respond(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
