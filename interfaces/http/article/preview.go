package articlehttp

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// PreviewScheme is the Authorization scheme of preview tokens: `Authorization: Preview inkp_…`.
const PreviewScheme = "Preview"

// previewParam is the query parameter that carries a preview token in a link.
const previewParam = "preview"

// PreviewCredential returns the preview token a public read presents, from the Authorization
// header (scheme Preview, case-insensitive) or the preview query parameter, and whether one was
// presented at all. An Authorization header of another scheme is not a preview (the public API
// ignores it, as it always has). A token presented both ways must be the same token.
func PreviewCredential(header string, query []string) (string, bool, error) {
	var fromHeader string
	scheme, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if strings.EqualFold(scheme, PreviewScheme) {
		fromHeader = strings.TrimSpace(rest)
		if fromHeader == "" {
			return "", true, article.ErrInvalidPreviewToken.WithMessage("the Authorization header must be Preview followed by a preview token")
		}
	}
	switch {
	case len(query) > 1:
		return "", true, article.ErrInvalidPreviewToken.WithMessage("give the preview parameter once")
	case len(query) == 1 && fromHeader != "" && query[0] != fromHeader:
		return "", true, article.ErrInvalidPreviewToken.WithMessage("the preview parameter and the Authorization header name different tokens")
	case len(query) == 1:
		return query[0], true, nil
	}
	return fromHeader, fromHeader != "", nil
}

// preview answers a public read that presented a preview token: the article as its editors work
// on it, marked preview, kept by no cache (private, no-store) and by no search engine. It never
// goes through the rendered answers or the shared cache.
func (h *Handler) preview(c *gin.Context, token string) {
	c.Header("Cache-Control", httpcache.PrivateNoStore)
	c.Header("X-Robots-Tag", "noindex")
	if err := bind.QueryParams(c, previewParam); err != nil {
		problem.Respond(c, err)
		return
	}
	d, err := h.svc.Preview(c.Request.Context(), token, c.Param("slug"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	res := toArticle(d)
	res.Preview = true
	c.JSON(http.StatusOK, res)
}

func (h *Handler) createPreviewToken(c *gin.Context) {
	var req previewTokenRequest
	if c.Request.ContentLength != 0 {
		if err := bind.JSON(c, &req); err != nil {
			problem.Respond(c, err)
			return
		}
	}
	var ttl time.Duration
	if req.ExpiresIn != nil {
		if *req.ExpiresIn < 1 || *req.ExpiresIn > int64(366*24*time.Hour/time.Second) {
			problem.Respond(c, shared.Validation(shared.FieldError{Field: "expires_in", Message: "must be a positive number of seconds within the configured maximum"}))
			return
		}
		ttl = time.Duration(*req.ExpiresIn) * time.Second
	}
	v, err := h.svc.CreatePreviewToken(c.Request.Context(), c.Param("id"), ttl)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.MarkSecret(c)
	c.JSON(http.StatusCreated, createdPreviewTokenResponse{
		previewTokenResponse: toPreviewToken(v), Token: v.Token, PreviewURL: orNull(v.PreviewURL),
	})
}

// listPreviewTokens answers the article's active tokens (at most article.MaxActivePreviewTokens,
// so one page) in the list envelope.
func (h *Handler) listPreviewTokens(c *gin.Context) {
	if err := bind.QueryParams(c); err != nil {
		problem.Respond(c, err)
		return
	}
	views, err := h.svc.PreviewTokens(c.Request.Context(), c.Param("id"))
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page := listing.Page[articleapp.PreviewTokenView]{Items: views, Limit: article.MaxActivePreviewTokens}
	c.JSON(http.StatusOK, paging.Of(page, toPreviewToken))
}

func (h *Handler) revokePreviewToken(c *gin.Context) {
	if err := h.svc.RevokePreviewToken(c.Request.Context(), c.Param("id"), c.Param("token_id")); err != nil {
		problem.Respond(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
