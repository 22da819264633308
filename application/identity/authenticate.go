package identity

import (
	"context"
	"crypto/subtle"
	"errors"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/identity"
)

// Authenticate turns a presented token plaintext into the principal it acts as. Unknown, revoked or
// expired tokens and tokens of disabled users are identity.ErrInvalidToken (401). The token and its
// user are read in one lookup, and the principal is reused for a busy token while no token or user
// has changed since (see principals): a revocation or a disabled user takes effect at once on every
// node that shares the cache.
func (s *Service) Authenticate(ctx context.Context, plaintext string) (authz.Principal, error) {
	hash, ok := s.secrets.Hash(plaintext)
	if !ok {
		return authz.Principal{}, identity.ErrInvalidToken.WithMessage("the API token is malformed: it should look like ink_ followed by 43 characters")
	}
	now := s.clock.Now()
	stamp, reusable := s.principals.stamp(ctx)
	if reusable {
		if p, ok := s.principals.get(hash, stamp, now); ok {
			s.usage.record(p.TokenID, now)
			return p, nil
		}
	}
	t, u, err := s.creds.GetCredential(ctx, hash)
	if errors.Is(err, identity.ErrTokenNotFound) {
		return authz.Principal{}, identity.ErrInvalidToken.WithMessage("the API token is unknown")
	}
	if err != nil {
		return authz.Principal{}, wrap("authenticate", err)
	}
	// The lookup was an index equality on the hash; comparing again in constant time keeps the
	// decision itself free of timing differences, whatever the database did.
	if subtle.ConstantTimeCompare(t.Hash(), hash) != 1 {
		return authz.Principal{}, identity.ErrInvalidToken.WithMessage("the API token is unknown")
	}
	switch {
	case t.Revoked():
		return authz.Principal{}, identity.ErrInvalidToken.WithMessage("the API token was revoked")
	case t.Expired(now):
		return authz.Principal{}, identity.ErrInvalidToken.WithMessage("the API token expired")
	case u.Disabled():
		return authz.Principal{}, identity.ErrInvalidToken.WithMessage("the API token's user is disabled")
	}
	s.usage.record(t.ID(), now)
	p := authz.Principal{UserID: u.ID(), Role: u.Role(), TokenID: t.ID(), ReadOnly: t.ReadOnly(), Slug: u.Slug(), Name: u.Name()}
	if reusable {
		s.principals.put(hash, p, stamp, now, t.ExpiresAt())
	}
	return p, nil
}
