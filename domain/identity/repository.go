package identity

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Page asks for one page of a list in id order (see shared.IDPage).
type Page = shared.IDPage

// UserRepository stores users. Every method joins the transaction carried by ctx.
type UserRepository interface {
	// Add inserts a new user; ErrEmailTaken or ErrSlugTaken when a unique key is in use.
	Add(ctx context.Context, u *User) error
	// Get returns the user with id, or ErrUserNotFound.
	Get(ctx context.Context, id string) (*User, error)
	// GetByEmail returns the user with the (normalized) email, or ErrUserNotFound.
	GetByEmail(ctx context.Context, email string) (*User, error)
	// GetBySlug returns the user with slug, or ErrUserNotFound.
	GetBySlug(ctx context.Context, slug string) (*User, error)
	// SlugsLike returns the slugs in use that are base or start with base + "-", so a caller can
	// pick a free one in one query.
	SlugsLike(ctx context.Context, base string) ([]string, error)
	// Any reports whether at least one user exists.
	Any(ctx context.Context) (bool, error)
	// List returns a page of users in id order.
	List(ctx context.Context, page Page) ([]*User, error)
	// Save writes a changed user if it is still at expected; otherwise shared.VersionConflict with
	// the stored version (ErrUserNotFound when the user is gone).
	Save(ctx context.Context, u *User, expected shared.Version) error
}

// TokenFilter narrows a token list; an empty UserID lists every user's tokens.
type TokenFilter struct {
	UserID string
	Page
}

// TokenRepository stores API tokens. Every method joins the transaction carried by ctx.
type TokenRepository interface {
	// Add inserts a new token.
	Add(ctx context.Context, t *APIToken) error
	// Get returns the token with id, or ErrTokenNotFound.
	Get(ctx context.Context, id string) (*APIToken, error)
	// GetByHash returns the token whose secret hashes to hash, or ErrTokenNotFound.
	GetByHash(ctx context.Context, hash []byte) (*APIToken, error)
	// List returns a page of tokens in id order.
	List(ctx context.Context, f TokenFilter) ([]*APIToken, error)
	// CountActive returns how many tokens of userID are neither revoked nor expired at now.
	CountActive(ctx context.Context, userID string, now time.Time) (int, error)
	// SaveRevocation writes the token's revocation time.
	SaveRevocation(ctx context.Context, t *APIToken) error
	// TouchLastUsed moves last_used_at forward to at (never backwards).
	TouchLastUsed(ctx context.Context, id string, at time.Time) error
}
