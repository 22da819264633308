// Package identity is the identity use cases: users, their API tokens, authenticating a token into
// a principal, and creating the first admin.
package identity

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
)

// Secret is a freshly generated API token: the plaintext (shown once, never stored or logged), the
// display prefix and the SHA-256 hash that is stored.
type Secret struct {
	Plaintext string
	Prefix    string
	Hash      []byte
}

// PublishedAuthors tells whether a user has published work: only such a user has a public author
// profile. The persistence layer implements it over the articles.
type PublishedAuthors interface {
	HasPublished(ctx context.Context, userID string, now time.Time) (bool, error)
}

// SecretGenerator makes and hashes API token secrets; infrastructure implements it with crypto/rand.
type SecretGenerator interface {
	Generate() (Secret, error)
	// Hash returns the stored form of a presented plaintext, and false when it is not shaped like an
	// Inkwell token (so a malformed one costs no database query).
	Hash(plaintext string) ([]byte, bool)
}

// Credentials finds a token by its hash together with the user it acts as, in one lookup: what
// authentication needs. identity.ErrTokenNotFound when no token has the hash.
type Credentials interface {
	GetCredential(ctx context.Context, hash []byte) (*identity.APIToken, *identity.User, error)
}
