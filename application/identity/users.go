package identity

import (
	"context"
	"errors"
	"strconv"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// CreateUser adds a user (admin only). The slug comes from the name, made unique with a number.
func (s *Service) CreateUser(ctx context.Context, cmd CreateUser) (UserView, error) {
	if _, err := allowed(ctx, "manage users", authz.CanManageUsers); err != nil {
		return UserView{}, wrap("create user", err)
	}
	var view UserView
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		u, err := s.addUser(ctx, cmd)
		if err != nil {
			return err
		}
		view = userView(u)
		return nil
	})
	return view, wrap("create user", err)
}

// addUser is CreateUser without the policy, for the first admin.
func (s *Service) addUser(ctx context.Context, cmd CreateUser) (*identity.User, error) {
	slug, err := s.freeSlug(ctx, cmd.Name)
	if err != nil {
		return nil, err
	}
	u, err := identity.NewUser(identity.NewUserParams{
		ID: s.ids.NewID(), Name: cmd.Name, Slug: slug, Email: cmd.Email, Role: identity.Role(cmd.Role),
		Bio: cmd.Bio, AvatarURL: cmd.AvatarURL, Now: s.clock.Now(),
	})
	if err != nil {
		return nil, err
	}
	if err := s.users.Add(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// freeSlug picks the slug for a new user named name: SlugFromName, or "user" when nothing of the
// name survives, with -2, -3… appended while it is taken. Two users created with one name at the
// same instant may still collide; the loser gets slug_taken and can retry.
func (s *Service) freeSlug(ctx context.Context, name string) (string, error) {
	base := identity.SlugFromName(name)
	if base == "" {
		base = "user"
	}
	taken, err := s.users.SlugsLike(ctx, base)
	if err != nil {
		return "", err
	}
	inUse := make(map[string]bool, len(taken))
	for _, t := range taken {
		inUse[t] = true
	}
	slug := base
	for n := 2; inUse[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	return slug, nil
}

// GetUser returns one user (admin only).
func (s *Service) GetUser(ctx context.Context, id string) (UserView, error) {
	if _, err := allowed(ctx, "see user accounts", authz.CanListUsers); err != nil {
		return UserView{}, wrap("get user", err)
	}
	u, err := s.users.Get(ctx, id)
	if err != nil {
		return UserView{}, wrap("get user "+id, err)
	}
	return userView(u), nil
}

// GetUserByEmail returns the user with an email (admin only; the CLI names users by email).
func (s *Service) GetUserByEmail(ctx context.Context, email string) (UserView, error) {
	if _, err := allowed(ctx, "see user accounts", authz.CanListUsers); err != nil {
		return UserView{}, wrap("get user by email", err)
	}
	u, err := s.users.GetByEmail(ctx, identity.NormalizeEmail(email))
	if errors.Is(err, identity.ErrUserNotFound) {
		err = identity.ErrUserNotFound.WithMessage("no user has the email %s", identity.NormalizeEmail(email))
	}
	if err != nil {
		return UserView{}, wrap("get user by email", err)
	}
	return userView(u), nil
}

// ListUsers returns a page of users in creation order (admin only).
func (s *Service) ListUsers(ctx context.Context, r listing.Request) (listing.Page[UserView], error) {
	if _, err := allowed(ctx, "see user accounts", authz.CanListUsers); err != nil {
		return listing.Page[UserView]{}, wrap("list users", err)
	}
	users, err := s.users.List(ctx, pageOf(r))
	if err != nil {
		return listing.Page[UserView]{}, wrap("list users", err)
	}
	return pageFrom(users, r, UserOrder, (*identity.User).ID, userView), nil
}

// UpdateUser applies a merge patch to a user (admin only): name, role, bio, avatar and disabled.
func (s *Service) UpdateUser(ctx context.Context, id string, cmd UpdateUser) (UserView, error) {
	p, err := allowed(ctx, "manage users", authz.CanManageUsers)
	if err != nil {
		return UserView{}, wrap("update user", err)
	}
	var view UserView
	err = s.tx.Do(ctx, func(ctx context.Context) error {
		u, err := s.users.Get(ctx, id)
		if err != nil {
			return err
		}
		expected := u.Version()
		if cmd.IfMatch != nil && *cmd.IfMatch != expected {
			return shared.VersionConflict(expected)
		}
		if err := s.applyPatch(p, u, cmd); err != nil {
			return err
		}
		if u.Changed() {
			if err := s.users.Save(ctx, u, expected); err != nil {
				return err
			}
		}
		view = userView(u)
		return nil
	})
	if err != nil {
		return UserView{}, wrap("update user "+id, err)
	}
	// A principal carries the user's role, state, name and slug.
	s.principals.forget(ctx)
	return view, nil
}

// applyPatch runs every requested change and reports all broken rules at once.
func (s *Service) applyPatch(p authz.Principal, u *identity.User, cmd UpdateUser) error {
	now := s.clock.Now()
	self := p.UserID == u.ID()
	if self && ((cmd.Disabled != nil && *cmd.Disabled) || (cmd.Role != nil && *cmd.Role != string(u.Role()))) {
		return ErrSelfLockout
	}
	// Validation errors are gathered so the answer names every bad field at once.
	var fields []shared.FieldError
	var other error
	collect := func(err error) {
		var de *shared.Error
		switch {
		case err == nil:
		case errors.As(err, &de) && de.Kind == shared.KindInvalid:
			fields = append(fields, de.Fields...)
		case other == nil:
			other = err
		}
	}
	if cmd.Name != nil {
		collect(u.Rename(*cmd.Name, now))
	}
	if cmd.Role != nil {
		collect(u.ChangeRole(identity.Role(*cmd.Role), now))
	}
	if cmd.Bio != nil {
		collect(u.ChangeBio(*cmd.Bio, now))
	}
	if cmd.AvatarURL != nil {
		collect(u.ChangeAvatarURL(*cmd.AvatarURL, now))
	}
	if cmd.Disabled != nil {
		if *cmd.Disabled {
			u.Disable(now)
		} else {
			u.Enable(now)
		}
	}
	if other != nil {
		return other
	}
	if len(fields) > 0 {
		return shared.Validation(fields...)
	}
	return nil
}

// errNoAuthor is the one answer for every slug without a public profile, so the endpoint does not
// tell an unknown slug from an account that exists (admins, viewers, disabled users, authors with
// nothing published): it is not an account list.
var errNoAuthor = identity.ErrUserNotFound.WithMessage("no author has that slug")

// Author returns the public profile of the user with slug (no principal needed). Only an enabled
// user with at least one published article has one.
func (s *Service) Author(ctx context.Context, slug string) (AuthorView, error) {
	u, err := s.users.GetBySlug(ctx, slug)
	if errors.Is(err, identity.ErrUserNotFound) {
		err = errNoAuthor
	}
	if err != nil {
		return AuthorView{}, wrap("author "+slug, err)
	}
	if u.Disabled() {
		return AuthorView{}, wrap("author "+slug, errNoAuthor)
	}
	published, err := s.authors.HasPublished(ctx, u.ID(), s.clock.Now())
	if err != nil {
		return AuthorView{}, wrap("author "+slug, err)
	}
	if !published {
		return AuthorView{}, wrap("author "+slug, errNoAuthor)
	}
	return AuthorView{Name: u.Name(), Slug: u.Slug(), Bio: u.Bio(), AvatarURL: u.AvatarURL(), Version: u.Version()}, nil
}
