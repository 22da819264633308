package identity

import (
	"context"

	"github.com/inkwell-cms/inkwell/domain/identity"
)

// Bootstrap names and token label of the first admin.
const (
	bootstrapLock      = "identity.bootstrap"
	bootstrapAdminName = "Administrator"
	bootstrapTokenName = "first-start admin token"
)

// Bootstrap creates the first admin, with email, and a token for them when no user exists yet. It
// runs on every start; a lock held for the transaction makes concurrent first starts of several
// nodes on one database create exactly one admin (the others see the user and do nothing).
func (s *Service) Bootstrap(ctx context.Context, email string) (BootstrapResult, error) {
	var res BootstrapResult
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		if err := s.locker.LockTx(ctx, bootstrapLock); err != nil {
			return err
		}
		exists, err := s.users.Any(ctx)
		if err != nil || exists {
			return err
		}
		admin, err := s.addUser(ctx, CreateUser{Email: email, Name: bootstrapAdminName, Role: string(identity.RoleAdmin)})
		if err != nil {
			return err
		}
		res.Token, err = s.issueToken(ctx, admin, CreateToken{Name: bootstrapTokenName})
		res.Created, res.Admin = err == nil, userView(admin)
		return err
	})
	if err != nil {
		return BootstrapResult{}, wrap("bootstrap", err)
	}
	return res, nil
}
