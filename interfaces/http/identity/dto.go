package identityhttp

import (
	"time"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

type createUserRequest struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Bio       string `json:"bio"`
	AvatarURL string `json:"avatar_url"`
}

// updateUserRequest is a JSON merge patch: null clears bio and avatar_url and is refused elsewhere.
type updateUserRequest struct {
	Name      bind.Optional[string] `json:"name"`
	Role      bind.Optional[string] `json:"role"`
	Bio       bind.Optional[string] `json:"bio"`
	AvatarURL bind.Optional[string] `json:"avatar_url"`
	Disabled  bind.Optional[bool]   `json:"disabled"`
}

type createTokenRequest struct {
	Name      string  `json:"name"`
	ReadOnly  bool    `json:"read_only"`
	ExpiresAt *string `json:"expires_at"` // parsed by the handler, so a bad time is a 422 on the field
	UserID    string  `json:"user_id"`
}

type userResponse struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	Bio       string    `json:"bio"`
	AvatarURL string    `json:"avatar_url"`
	Disabled  bool      `json:"disabled"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type authorResponse struct {
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Bio       string `json:"bio"`
	AvatarURL string `json:"avatar_url"`
}

// tokenResponse never carries the secret or its hash.
type tokenResponse struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	ReadOnly   bool       `json:"read_only"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// createdTokenResponse is the only response with the plaintext token.
type createdTokenResponse struct {
	Token string `json:"token"`
	tokenResponse
}

type meResponse struct {
	User  userResponse   `json:"user"`
	Token *tokenResponse `json:"token"`
}

func toUser(v identityapp.UserView) userResponse {
	return userResponse{
		ID: v.ID, Name: v.Name, Slug: v.Slug, Email: v.Email, Role: string(v.Role), Bio: v.Bio,
		AvatarURL: v.AvatarURL, Disabled: v.Disabled, Version: int64(v.Version), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
}

func toToken(v identityapp.TokenView) tokenResponse {
	return tokenResponse{
		ID: v.ID, UserID: v.UserID, Name: v.Name, Prefix: v.Prefix, ReadOnly: v.ReadOnly,
		ExpiresAt: v.ExpiresAt, LastUsedAt: v.LastUsedAt, RevokedAt: v.RevokedAt, CreatedAt: v.CreatedAt,
	}
}
