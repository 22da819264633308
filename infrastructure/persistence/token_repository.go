package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
)

// TokenRepository implements identity.TokenRepository.
type TokenRepository struct{ db *DB }

// NewTokenRepository returns the token repository on db.
func NewTokenRepository(db *DB) *TokenRepository { return &TokenRepository{db: db} }

// Add inserts t.
func (r *TokenRepository) Add(ctx context.Context, t *identity.APIToken) error {
	m := tokenToModel(t.State())
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("token repository: add %s: %w", t.ID(), err)
	}
	return nil
}

// Get returns the token with id.
func (r *TokenRepository) Get(ctx context.Context, id string) (*identity.APIToken, error) {
	if !wellFormedID(id) {
		return nil, identity.ErrTokenNotFound
	}
	return r.first(ctx, "id = ?", id)
}

// GetByHash returns the token with hash: an equality lookup on a unique index.
func (r *TokenRepository) GetByHash(ctx context.Context, hash []byte) (*identity.APIToken, error) {
	return r.first(ctx, "hash = ?", hash)
}

// GetCredential implements identityapp.Credentials: the token with hash and its user, in one
// statement (a join on two primary-key/unique-index lookups).
func (r *TokenRepository) GetCredential(ctx context.Context, hash []byte) (*identity.APIToken, *identity.User, error) {
	var rows []struct {
		Token tokenModel `gorm:"embedded"`
		User  userModel  `gorm:"embedded;embeddedPrefix:u_"`
	}
	err := r.db.Conn(ctx).Raw(`SELECT t.*, u.id AS u_id, u.name AS u_name, u.slug AS u_slug, u.email AS u_email,
		u.role AS u_role, u.bio AS u_bio, u.avatar_url AS u_avatar_url, u.disabled AS u_disabled,
		u.version AS u_version, u.created_at AS u_created_at, u.updated_at AS u_updated_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`, hash).Scan(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("token repository: find credential: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, identity.ErrTokenNotFound
	}
	return rows[0].Token.toDomain(), rows[0].User.toDomain(), nil
}

func (r *TokenRepository) first(ctx context.Context, where string, arg any) (*identity.APIToken, error) {
	var m tokenModel
	if err := r.db.Conn(ctx).Where(where, arg).Take(&m).Error; err != nil {
		if IsNotFound(err) {
			return nil, identity.ErrTokenNotFound
		}
		return nil, fmt.Errorf("token repository: find by %s: %w", where, err)
	}
	return m.toDomain(), nil
}

// List returns a page of tokens in id order, of one user or of all.
func (r *TokenRepository) List(ctx context.Context, f identity.TokenFilter) ([]*identity.APIToken, error) {
	q := r.db.Conn(ctx).Order("id").Limit(f.Limit)
	if f.UserID != "" {
		if !wellFormedID(f.UserID) {
			return nil, nil
		}
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.AfterID != "" {
		if !wellFormedID(f.AfterID) {
			return nil, nil // a forged cursor: nothing comes after an id no row can have
		}
		q = q.Where("id > ?", f.AfterID)
	}
	var ms []tokenModel
	if err := q.Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("token repository: list: %w", err)
	}
	out := make([]*identity.APIToken, len(ms))
	for i, m := range ms {
		out[i] = m.toDomain()
	}
	return out, nil
}

// CountActive counts the user's tokens that are neither revoked nor expired at now.
func (r *TokenRepository) CountActive(ctx context.Context, userID string, now time.Time) (int, error) {
	if !wellFormedID(userID) {
		return 0, nil
	}
	var n int64
	err := r.db.Conn(ctx).Model(&tokenModel{}).
		Where("user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", userID, now.UTC()).
		Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("token repository: count active of %s: %w", userID, err)
	}
	return int(n), nil
}

// SaveRevocation writes the revocation time, once: a revoked row keeps its first time.
func (r *TokenRepository) SaveRevocation(ctx context.Context, t *identity.APIToken) error {
	err := r.db.Conn(ctx).Model(&tokenModel{}).Where("id = ? AND revoked_at IS NULL", t.ID()).
		Update("revoked_at", t.RevokedAt()).Error
	if err != nil {
		return fmt.Errorf("token repository: revoke %s: %w", t.ID(), err)
	}
	return nil
}

// TouchLastUsed moves last_used_at forward to at; writes from several nodes never move it back.
func (r *TokenRepository) TouchLastUsed(ctx context.Context, id string, at time.Time) error {
	err := r.db.Conn(ctx).Model(&tokenModel{}).
		Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, at).
		Update("last_used_at", at).Error
	if err != nil {
		return fmt.Errorf("token repository: touch %s: %w", id, err)
	}
	return nil
}
