// Package identityhttp serves the identity endpoints: who am I, users, API tokens and the public
// author profile.
package identityhttp

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// PublicCaching is how long shared caches may keep public answers.
type PublicCaching struct {
	MaxAge               time.Duration
	StaleWhileRevalidate time.Duration
}

// Handler maps HTTP to the identity service.
type Handler struct {
	svc          *identityapp.Service
	cacheControl string
}

// NewHandler returns the identity handler.
func NewHandler(svc *identityapp.Service, caching PublicCaching) *Handler {
	return &Handler{svc: svc, cacheControl: fmt.Sprintf("public, max-age=%d, stale-while-revalidate=%d",
		int(caching.MaxAge.Seconds()), int(caching.StaleWhileRevalidate.Seconds()))}
}

// Register mounts the routes.
func (h *Handler) Register(g httpapi.Groups) {
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

// author serves the public profile with a strong ETag from the user's version, so clients and CDNs
// revalidate with If-None-Match and get 304 while it is unchanged.
func (h *Handler) author(c *gin.Context) {
	a, err := h.svc.Author(c.Request.Context(), c.Param("slug"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	etag := a.Version.ETag()
	c.Header("ETag", etag)
	c.Header("Cache-Control", h.cacheControl)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.JSON(http.StatusOK, authorResponse{Name: a.Name, Slug: a.Slug, Bio: a.Bio, AvatarURL: a.AvatarURL})
}

// etagMatches implements If-None-Match's weak comparison over a list of tags or "*".
func etagMatches(header, etag string) bool {
	for _, candidate := range splitTags(header) {
		if candidate == "*" || candidate == etag || candidate == "W/"+etag {
			return true
		}
	}
	return false
}

func splitTags(header string) []string {
	var out []string
	for _, part := range strings.Split(header, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
