// Package authz decides who may do what. The acting principal travels in the context (put there by
// the HTTP auth middleware or a CLI command); policies are pure functions of it.
package authz

import (
	"context"

	"github.com/inkwell-cms/inkwell/domain/identity"
)

// Principal is who is acting: a user through one of their tokens.
type Principal struct {
	UserID   string
	Role     identity.Role
	TokenID  string // empty for the CLI and background workers
	ReadOnly bool
	// Slug and Name are the user's as articles show their author, so that a write by the principal
	// can name its author without reading the user again; empty where unknown (workers).
	Slug, Name string
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx and whether there is one.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// System is the principal of background workers (scheduled publishing): it may do anything.
var System = Principal{UserID: "", Role: identity.RoleAdmin}
