package identityhttp

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// createToken answers the plaintext once, marked as a secret: no cache and no idempotent replay keeps it.
func (h *Handler) createToken(c *gin.Context) {
	var req createTokenRequest
	if err := bind.JSON(c, &req); err != nil {
		problem.Respond(c, err)
		return
	}
	cmd := identityapp.CreateToken{UserID: req.UserID, Name: req.Name, ReadOnly: req.ReadOnly}
	if req.ExpiresAt != nil {
		at, err := time.Parse(time.RFC3339, *req.ExpiresAt)
		if err != nil {
			problem.Respond(c, shared.Validation(shared.FieldError{Field: "expires_at", Message: "must be an RFC 3339 time such as 2030-01-31T00:00:00Z"}))
			return
		}
		at = at.UTC()
		cmd.ExpiresAt = &at
	}
	t, err := h.svc.CreateToken(c.Request.Context(), cmd)
	if err != nil {
		problem.Respond(c, err)
		return
	}
	httpcache.MarkSecret(c)
	c.JSON(http.StatusCreated, createdTokenResponse{Token: t.Plaintext, tokenResponse: toToken(t.TokenView)})
}

func (h *Handler) listTokens(c *gin.Context) {
	r, err := paging.Parse(c, identityapp.TokenOrder, "user_id")
	if err != nil {
		problem.Respond(c, err)
		return
	}
	page, err := h.svc.ListTokens(c.Request.Context(), identityapp.ListTokens{UserID: c.Query("user_id"), Page: r})
	if err != nil {
		problem.Respond(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.Of(page, toToken))
}

func (h *Handler) revokeToken(c *gin.Context) {
	if _, err := h.svc.RevokeToken(c.Request.Context(), c.Param("id")); err != nil {
		problem.Respond(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
