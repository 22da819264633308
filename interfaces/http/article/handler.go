// Package articlehttp serves articles: the management API (/api/v1/admin/articles…) and the public
// delivery API (/api/v1/articles…). Handlers bind, call one service method and map the view.
package articlehttp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	httpapi "github.com/inkwell-cms/inkwell/interfaces/http"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// Rendered public answers kept per node: enough for the hot set of a busy site (an article and its
// gzip take about 12 KB), bounded so memory stays small.
const (
	renderedAnswers   = 1024
	renderedAnswerTTL = 5 * time.Minute
)

// Handler maps HTTP to the article service.
type Handler struct {
	svc      *articleapp.Service
	public   httpcache.Policy
	rendered *httpcache.RenderedCache
}

// NewHandler returns the article handler.
func NewHandler(svc *articleapp.Service) *Handler {
	return &Handler{svc: svc, rendered: httpcache.NewRenderedCache(renderedAnswers, renderedAnswerTTL)}
}

// Register mounts the routes; public answers use the router's cache policy.
func (h *Handler) Register(g httpapi.Groups) {
	h.public = g.PublicCache
	g.API.GET("/articles", h.publicList)
	g.API.GET("/articles/:slug", h.publicGet)

	a := g.Admin
	a.POST("/articles", h.create)
	a.GET("/articles", h.list)
	a.GET("/articles/:id", h.get)
	a.PATCH("/articles/:id", h.update)
	a.DELETE("/articles/:id", h.trash)
	a.POST("/articles/:id/restore", h.restoreFromTrash)
	a.POST("/articles/:id/:action", h.act)
	a.POST("/articles/:id/preview-tokens", h.createPreviewToken)
	a.GET("/articles/:id/preview-tokens", h.listPreviewTokens)
	a.DELETE("/articles/:id/preview-tokens/:token_id", h.revokePreviewToken)
	a.GET("/articles/:id/revisions", h.revisions)
	a.GET("/articles/:id/revisions/:number", h.revision)
	a.POST("/articles/:id/revisions/:number/restore", h.restoreRevision)
}

// writeAdmin answers one article with its version as the ETag.
func writeAdmin(c *gin.Context, status int, d articleapp.ArticleDetail) {
	writeVersioned(c, status, d.Version, toAdminArticle(d))
}

func writeVersioned(c *gin.Context, status int, v shared.Version, body any) {
	httpcache.SetVersionETag(c, v)
	c.JSON(status, body)
}

func (h *Handler) publicList(c *gin.Context) {
	stamp, reuse := h.svc.PublishedArticlesStamp(c.Request.Context())
	key := stamp + "|" + c.Request.URL.RawQuery
	if r, ok := h.renderedAnswer(reuse, key); ok {
		h.public.Serve(c, r)
		return
	}
	req, err := ParseListQuery(c.Request.URL.Query(), false)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.PublishedArticles(c.Request.Context(), req.Query)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	res, err := toList(page, toSummary, req.Fields)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	h.answer(c, reuse, key, res)
}

func (h *Handler) publicGet(c *gin.Context) {
	// A preview is answered before anything that could serve or keep a shared answer.
	token, isPreview, err := PreviewCredential(c.GetHeader("Authorization"), c.Request.URL.Query()[previewParam])
	if isPreview {
		if err != nil {
			c.Header("Cache-Control", httpcache.PrivateNoStore)
			problem.Respond(c, err)
			return
		}
		h.preview(c, token)
		return
	}
	slug := c.Param("slug")
	stamp, reuse := h.svc.PublishedArticleStamp(c.Request.Context(), slug)
	key := stamp + "|" + c.Request.URL.RawQuery
	if r, ok := h.renderedAnswer(reuse, key); ok {
		h.public.Serve(c, r)
		return
	}
	if err := bind.QueryParams(c); err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.PublishedArticle(c.Request.Context(), slug)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	h.answer(c, reuse, key, toArticle(d))
}

// renderedAnswer returns the answer this node already rendered under key, when reuse is allowed.
func (h *Handler) renderedAnswer(reuse bool, key string) (httpcache.Rendered, bool) {
	if !reuse {
		return httpcache.Rendered{}, false
	}
	return h.rendered.Get(key)
}

// answer sends a public answer; with reuse it is rendered once (JSON, gzip, ETag) and kept under
// key, whose stamp retires it at the next write.
func (h *Handler) answer(c *gin.Context, reuse bool, key string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		problem.Respond(c, fmt.Errorf("encode public answer: %w", err))
		return
	}
	if !reuse {
		h.public.WriteBody(c, body)
		return
	}
	r := httpcache.Render(body)
	h.rendered.Add(key, r)
	h.public.Serve(c, r)
}

func (h *Handler) list(c *gin.Context) {
	req, err := ParseListQuery(c.Request.URL.Query(), true)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.List(c.Request.Context(), req.Query)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	res, err := toList(page, toAdminSummary, req.Fields)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
