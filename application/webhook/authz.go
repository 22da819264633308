package webhook

import (
	"context"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// authorize lets only admins manage webhooks (their secrets sign what receivers trust), and only
// with a token that may write when write is true.
func authorize(ctx context.Context, write bool) error {
	p, ok := authz.PrincipalFrom(ctx)
	if !ok {
		return shared.ErrUnauthorized
	}
	if p.Role != identity.RoleAdmin {
		return shared.ErrForbidden.WithMessage("only admins manage webhooks")
	}
	if write && p.ReadOnly {
		return shared.ErrForbidden.WithMessage("this token is read-only")
	}
	return nil
}
