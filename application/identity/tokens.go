package identity

import (
	"context"
	"errors"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// CreateToken issues a token for the caller, or for cmd.UserID when the caller is an admin. The
// plaintext is in the result and nowhere else.
func (s *Service) CreateToken(ctx context.Context, cmd CreateToken) (IssuedToken, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return IssuedToken{}, wrap("create token", err)
	}
	if cmd.UserID == "" {
		cmd.UserID = p.UserID
	}
	if !authz.CanManageTokensOf(p, cmd.UserID) {
		return IssuedToken{}, wrap("create token", authz.Deny(p, "issue tokens for other users"))
	}
	var issued IssuedToken
	err = s.tx.Do(ctx, func(ctx context.Context) error {
		u, err := s.users.Get(ctx, cmd.UserID)
		if errors.Is(err, identity.ErrUserNotFound) {
			return shared.Validation(shared.FieldError{Field: "user_id", Message: "no user has that id"})
		}
		if err != nil {
			return err
		}
		issued, err = s.issueToken(ctx, u, cmd)
		return err
	})
	return issued, wrap("create token", err)
}

// issueToken is CreateToken without the policy, for the first admin. It runs in a transaction: the
// per-user lock makes the count and the insert one step on every node, so racing requests cannot
// pass the cap together.
func (s *Service) issueToken(ctx context.Context, u *identity.User, cmd CreateToken) (IssuedToken, error) {
	if u.Disabled() {
		return IssuedToken{}, ErrUserDisabled
	}
	if err := s.locker.LockTx(ctx, "identity:tokens:"+u.ID()); err != nil {
		return IssuedToken{}, err
	}
	active, err := s.tokens.CountActive(ctx, u.ID(), s.clock.Now())
	if err != nil {
		return IssuedToken{}, err
	}
	if active >= s.limits.MaxActiveTokens {
		return IssuedToken{}, identity.ErrTooManyTokens.WithDetail("max_active_tokens", s.limits.MaxActiveTokens)
	}
	secret, err := s.secrets.Generate()
	if err != nil {
		return IssuedToken{}, err
	}
	t, err := identity.NewAPIToken(identity.NewTokenParams{
		ID: s.ids.NewID(), UserID: u.ID(), Name: cmd.Name, Prefix: secret.Prefix, Hash: secret.Hash,
		ReadOnly: cmd.ReadOnly, ExpiresAt: cmd.ExpiresAt, Now: s.clock.Now(),
	})
	if err != nil {
		return IssuedToken{}, err
	}
	if err := s.tokens.Add(ctx, t); err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{TokenView: tokenView(t), Plaintext: secret.Plaintext}, nil
}

// ListTokens returns a page of tokens, revoked ones included: the caller's own, or for an admin
// everyone's or one user's.
func (s *Service) ListTokens(ctx context.Context, q ListTokens) (listing.Page[TokenView], error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return listing.Page[TokenView]{}, wrap("list tokens", err)
	}
	if q.UserID == "" && p.Role != identity.RoleAdmin {
		q.UserID = p.UserID
	}
	if !authz.CanSeeTokensOf(p, q.UserID) {
		return listing.Page[TokenView]{}, wrap("list tokens", authz.Deny(p, "see other users' tokens"))
	}
	tokens, err := s.tokens.List(ctx, identity.TokenFilter{UserID: q.UserID, Page: pageOf(q.Page)})
	if err != nil {
		return listing.Page[TokenView]{}, wrap("list tokens", err)
	}
	return pageFrom(tokens, q.Page, TokenOrder, (*identity.APIToken).ID, tokenView), nil
}

// RevokeToken stops a token for good: one's own, or anyone's for an admin. Revoking a revoked token
// succeeds and changes nothing. The token stops working at once, on every node: after the commit the
// cached principals are retired (see principals).
func (s *Service) RevokeToken(ctx context.Context, id string) (TokenView, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return TokenView{}, wrap("revoke token", err)
	}
	var view TokenView
	err = s.tx.Do(ctx, func(ctx context.Context) error {
		t, err := s.tokens.Get(ctx, id)
		if err != nil {
			return err
		}
		if !authz.CanManageTokensOf(p, t.UserID()) {
			return authz.Deny(p, "revoke other users' tokens")
		}
		if t.Revoke(s.clock.Now()) {
			if err := s.tokens.SaveRevocation(ctx, t); err != nil {
				return err
			}
		}
		view = tokenView(t)
		return nil
	})
	if err != nil {
		return TokenView{}, wrap("revoke token "+id, err)
	}
	s.principals.forget(ctx)
	return view, nil
}

// Me returns the calling user and, when the caller came with a token, that token.
func (s *Service) Me(ctx context.Context) (MeView, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return MeView{}, wrap("me", err)
	}
	u, err := s.users.Get(ctx, p.UserID)
	if err != nil {
		return MeView{}, wrap("me", err)
	}
	me := MeView{User: userView(u)}
	if p.TokenID != "" {
		t, err := s.tokens.Get(ctx, p.TokenID)
		if err != nil {
			return MeView{}, wrap("me", err)
		}
		v := tokenView(t)
		me.Token = &v
	}
	return me, nil
}
