package article

import (
	"context"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// PreviewToken lets whoever holds its secret read one article as editors see it (its pending
// changes, or the draft) on the public API, until it expires or is revoked. It is read-only and
// opens exactly one article, so a leaked link exposes that article's next version and nothing
// else. Only the secret's hash is kept.
type PreviewToken struct {
	id        string
	articleID string
	createdBy string
	hash      []byte
	createdAt time.Time
	expiresAt time.Time
	revokedAt *time.Time
}

// Errors of preview tokens; their codes are public API.
var (
	// ErrInvalidPreviewToken is a 401 like an invalid API token: the preview token is malformed,
	// unknown, expired, revoked, or opens another article.
	ErrInvalidPreviewToken = shared.New(shared.KindUnauthenticated, "invalid_preview_token",
		"the preview token is not valid for this article (unknown, expired, revoked or for another article)")
	ErrPreviewTokenNotFound = shared.NotFound("preview_token_not_found", "the article has no preview token with that id")
	// ErrTooManyPreviewTokens bounds the active tokens of one article (and so what one article's
	// list of tokens holds).
	ErrTooManyPreviewTokens = shared.New(shared.KindInvalid, "too_many_preview_tokens",
		"the article already has the most active preview tokens allowed; revoke one (or let one expire) first")
)

// MaxActivePreviewTokens is how many unrevoked, unexpired preview tokens one article may have.
const MaxActivePreviewTokens = 50

// NewPreviewToken makes a token for articleID created by userID, whose secret hashes to hash,
// expiring ttl after now; ttl must be positive and at most maxTTL.
func NewPreviewToken(id, articleID, userID string, hash []byte, ttl, maxTTL time.Duration, now time.Time) (*PreviewToken, error) {
	if ttl <= 0 || ttl > maxTTL {
		return nil, shared.Validation(shared.FieldError{Field: "expires_in",
			Message: fmt.Sprintf("must be between 1 and %d seconds", int64(maxTTL/time.Second))})
	}
	return &PreviewToken{
		id: id, articleID: articleID, createdBy: userID, hash: hash, createdAt: now, expiresAt: now.Add(ttl),
	}, nil
}

// PreviewTokenState is a token as storage keeps it.
type PreviewTokenState struct {
	ID, ArticleID, CreatedBy string
	Hash                     []byte
	CreatedAt, ExpiresAt     time.Time
	RevokedAt                *time.Time
}

// RehydratePreviewToken rebuilds a stored token.
func RehydratePreviewToken(s PreviewTokenState) *PreviewToken {
	return &PreviewToken{
		id: s.ID, articleID: s.ArticleID, createdBy: s.CreatedBy, hash: s.Hash,
		createdAt: s.CreatedAt, expiresAt: s.ExpiresAt, revokedAt: copyTime(s.RevokedAt),
	}
}

// State is the reverse of RehydratePreviewToken.
func (t *PreviewToken) State() PreviewTokenState {
	return PreviewTokenState{
		ID: t.id, ArticleID: t.articleID, CreatedBy: t.createdBy, Hash: t.hash,
		CreatedAt: t.createdAt, ExpiresAt: t.expiresAt, RevokedAt: copyTime(t.revokedAt),
	}
}

// Active reports whether the token is neither revoked nor expired at now.
func (t *PreviewToken) Active(now time.Time) bool {
	return t.revokedAt == nil && now.Before(t.expiresAt)
}

// Revoke ends the token now; revoking a revoked token keeps the first time and reports false.
func (t *PreviewToken) Revoke(now time.Time) bool {
	if t.revokedAt != nil {
		return false
	}
	t.revokedAt = &now
	return true
}

func (t *PreviewToken) ID() string            { return t.id }
func (t *PreviewToken) ArticleID() string     { return t.articleID }
func (t *PreviewToken) CreatedBy() string     { return t.createdBy }
func (t *PreviewToken) CreatedAt() time.Time  { return t.createdAt }
func (t *PreviewToken) ExpiresAt() time.Time  { return t.expiresAt }
func (t *PreviewToken) RevokedAt() *time.Time { return copyTime(t.revokedAt) }

// PreviewTokenRepository stores preview tokens; implementations join the transaction in ctx.
//
//   - GetByHash returns ErrInvalidPreviewToken when no token has hash (an equality lookup on a
//     unique index of a 256-bit hash: nothing to learn from its timing).
//   - Get returns ErrPreviewTokenNotFound unless the article has a token with that id.
//   - ListActive returns the article's unrevoked tokens expiring after now, newest first.
//   - CountActive counts them.
//   - Save writes a token's revocation.
//
// Tokens go with their article when it is purged.
type PreviewTokenRepository interface {
	Add(ctx context.Context, t *PreviewToken) error
	GetByHash(ctx context.Context, hash []byte) (*PreviewToken, error)
	Get(ctx context.Context, articleID, id string) (*PreviewToken, error)
	ListActive(ctx context.Context, articleID string, now time.Time) ([]*PreviewToken, error)
	CountActive(ctx context.Context, articleID string, now time.Time) (int, error)
	Save(ctx context.Context, t *PreviewToken) error
}
