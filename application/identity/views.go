package identity

import (
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// UserView is a user as administrators see it.
type UserView struct {
	ID, Name, Slug, Email string
	Role                  identity.Role
	Bio, AvatarURL        string
	Disabled              bool
	Version               shared.Version
	CreatedAt, UpdatedAt  time.Time
}

// AuthorView is the public profile of a user: no email, no role.
type AuthorView struct {
	Name, Slug, Bio, AvatarURL string
	Version                    shared.Version
}

// TokenView is a token without its secret or hash.
type TokenView struct {
	ID, UserID, Name, Prefix         string
	ReadOnly                         bool
	ExpiresAt, LastUsedAt, RevokedAt *time.Time
	CreatedAt                        time.Time
}

// IssuedToken is a new token with its plaintext secret, which exists only in this value.
type IssuedToken struct {
	TokenView
	Plaintext string
}

// MeView tells a principal who it is; Token is nil for a principal without a token (the CLI).
type MeView struct {
	User  UserView
	Token *TokenView
}

// BootstrapResult says whether the first start created the admin, and its token when it did.
type BootstrapResult struct {
	Created bool
	Admin   UserView
	Token   IssuedToken
}

func userView(u *identity.User) UserView {
	return UserView{
		ID: u.ID(), Name: u.Name(), Slug: u.Slug(), Email: u.Email(), Role: u.Role(), Bio: u.Bio(),
		AvatarURL: u.AvatarURL(), Disabled: u.Disabled(), Version: u.Version(),
		CreatedAt: u.CreatedAt(), UpdatedAt: u.UpdatedAt(),
	}
}

func tokenView(t *identity.APIToken) TokenView {
	return TokenView{
		ID: t.ID(), UserID: t.UserID(), Name: t.Name(), Prefix: t.Prefix(), ReadOnly: t.ReadOnly(),
		ExpiresAt: t.ExpiresAt(), LastUsedAt: t.LastUsedAt(), RevokedAt: t.RevokedAt(), CreatedAt: t.CreatedAt(),
	}
}
