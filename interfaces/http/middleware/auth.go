package middleware

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/problem"
)

// TokenAuthenticator turns a bearer token into the principal it acts as; the identity service
// implements it.
type TokenAuthenticator interface {
	Authenticate(ctx context.Context, token string) (authz.Principal, error)
}

// Authenticate requires `Authorization: Bearer <token>` and puts the token's principal in the
// request context for the application layer. A missing, malformed or refused token is a 401 problem
// (the problem writer adds WWW-Authenticate). The token itself is never logged.
func Authenticate(auth TokenAuthenticator) gin.HandlerFunc {
	return func(c *gin.Context) {
		token, err := bearerToken(c.GetHeader("Authorization"))
		if err != nil {
			problem.Respond(c, err)
			return
		}
		p, err := auth.Authenticate(c.Request.Context(), token)
		if err != nil {
			problem.Respond(c, err)
			return
		}
		c.Request = c.Request.WithContext(authz.WithPrincipal(c.Request.Context(), p))
		c.Next()
	}
}

// bearerToken extracts the token of an RFC 6750 Authorization header (the scheme is
// case-insensitive).
func bearerToken(header string) (string, error) {
	if strings.TrimSpace(header) == "" {
		return "", shared.ErrUnauthorized.WithMessage("send an API token as Authorization: Bearer ink_…")
	}
	scheme, token, found := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !found || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", identity.ErrInvalidToken.WithMessage("the Authorization header must be Bearer followed by an API token")
	}
	return token, nil
}
