package identity

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// ErrSelfLockout refuses an admin disabling or demoting their own account, which could leave the
// installation without an admin.
var ErrSelfLockout = shared.Conflict("self_lockout", "you may not disable your own account or change your own role; ask another admin")

// ErrUserDisabled refuses issuing a token that could never work.
var ErrUserDisabled = shared.Conflict("user_disabled", "the user is disabled; enable them before issuing a token")

// Limits bound what one user may hold.
type Limits struct {
	// MaxActiveTokens is how many unrevoked, unexpired tokens one user may have; 0 takes
	// DefaultMaxActiveTokens.
	MaxActiveTokens int
}

// DefaultMaxActiveTokens is the default of Limits.MaxActiveTokens.
const DefaultMaxActiveTokens = 20

// Service runs the identity use cases. Every use case but Authenticate, Author and Bootstrap needs a
// principal in the context and checks its policy first.
type Service struct {
	tx         application.TxManager
	locker     application.Locker
	users      identity.UserRepository
	tokens     identity.TokenRepository
	secrets    SecretGenerator
	clock      application.Clock
	ids        application.IDGenerator
	creds      Credentials
	usage      *usageRecorder
	principals *principals
	limits     Limits
	authors    PublishedAuthors
}

// NewService returns the identity service and a cleanup that writes the last pending token usage
// times and stops the background writer. aside holds the generation that retires cached principals
// (see principals); a nil aside or a zero cache TTL authenticates every request against the database.
func NewService(tx application.TxManager, locker application.Locker, users identity.UserRepository,
	tokens identity.TokenRepository, creds Credentials, secrets SecretGenerator, clock application.Clock,
	ids application.IDGenerator, authors PublishedAuthors, limits Limits, aside *cacheaside.Aside,
	cache PrincipalCache, log *zap.Logger,
) (*Service, func()) {
	if limits.MaxActiveTokens <= 0 {
		limits.MaxActiveTokens = DefaultMaxActiveTokens
	}
	log = log.Named("identity")
	usage := newUsageRecorder(tokens, clock, log)
	s := &Service{tx: tx, locker: locker, users: users, tokens: tokens, creds: creds, secrets: secrets, clock: clock, ids: ids,
		usage: usage, principals: newPrincipals(aside, cache, log), limits: limits, authors: authors}
	return s, usage.close
}

// allowed returns the principal when policy lets it act, ErrUnauthorized without one, and a 403
// naming the action otherwise.
func allowed(ctx context.Context, action string, policy func(p authz.Principal) bool) (authz.Principal, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return p, err
	}
	if !policy(p) {
		return p, authz.Deny(p, action)
	}
	return p, nil
}

// wrap adds the use case to an error on its way up.
func wrap(useCase string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("identity: %s: %w", useCase, err)
}
