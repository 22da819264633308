// Package identityhttp serves the identity endpoints: who am I, users, API tokens and the public
// author profile.
package identityhttp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Handler maps HTTP to the identity service.
type Handler struct {
	svc    *identityapp.Service
	public httpcache.Policy
}

// NewHandler returns the identity handler.
func NewHandler(svc *identityapp.Service) *Handler { return &Handler{svc: svc} }

// Register mounts the routes; the public profile uses the router's cache policy.
func (h *Handler) Register(g httpapi.Groups) {
	h.public = g.PublicCache
	g.API.GET("/authors/:slug", h.author)
	g.Admin.GET("/me", h.me)
	g.Admin.POST("/users", h.createUser)
	g.Admin.GET("/users", h.listUsers)
	g.Admin.GET("/users/:id", h.getUser)
	g.Admin.PATCH("/users/:id", h.updateUser)
	g.Admin.POST("/tokens", h.createToken)
	g.Admin.GET("/tokens", h.listTokens)
	g.Admin.DELETE("/tokens/:id", h.revokeToken)
}

func (h *Handler) me(c *gin.Context) {
	me, err := h.svc.Me(c.Request.Context())
	if err != nil {
		problem.Respond(c, err)
		return
	}
	res := meResponse{User: toUser(me.User)}
	if me.Token != nil {
		t := toToken(*me.Token)
		res.Token = &t
	}
	c.JSON(http.StatusOK, res)
}

// author serves the public profile like every public GET: a strong ETag from the body, 304 on
// If-None-Match, the configured Cache-Control.
func (h *Handler) author(c *gin.Context) {
	a, err := h.svc.Author(c.Request.Context(), c.Param("slug"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	h.public.WriteJSON(c, authorResponse{Name: a.Name, Slug: a.Slug, Bio: a.Bio, AvatarURL: a.AvatarURL})
}
