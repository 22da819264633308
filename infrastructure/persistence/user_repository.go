package persistence

import (
	"context"
	"fmt"
	"strings"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// UserRepository implements identity.UserRepository.
type UserRepository struct{ db *DB }

// NewUserRepository returns the user repository on db.
func NewUserRepository(db *DB) *UserRepository { return &UserRepository{db: db} }

// Add inserts u, translating the unique indexes into email_taken and slug_taken.
func (r *UserRepository) Add(ctx context.Context, u *identity.User) error {
	m := userToModel(u.State())
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		if constraint, ok := UniqueViolation(err); ok {
			switch {
			case strings.Contains(constraint, "email"):
				return identity.ErrEmailTaken.WithCause(err)
			case strings.Contains(constraint, "slug"):
				return identity.ErrSlugTaken.WithCause(err)
			}
		}
		return fmt.Errorf("user repository: add %s: %w", u.ID(), err)
	}
	return nil
}

// Get returns the user with id.
func (r *UserRepository) Get(ctx context.Context, id string) (*identity.User, error) {
	if !wellFormedID(id) {
		return nil, identity.ErrUserNotFound
	}
	return r.first(ctx, "id = ?", id)
}

// GetByEmail returns the user with email (already normalized by the caller).
func (r *UserRepository) GetByEmail(ctx context.Context, email string) (*identity.User, error) {
	return r.first(ctx, "email = ?", email)
}

// GetBySlug returns the user with slug.
func (r *UserRepository) GetBySlug(ctx context.Context, slug string) (*identity.User, error) {
	return r.first(ctx, "slug = ?", slug)
}

func (r *UserRepository) first(ctx context.Context, where string, arg any) (*identity.User, error) {
	// Text PostgreSQL refuses outright (a NUL byte, invalid UTF-8) cannot name a user: it is simply
	// not found, on both dialects, instead of a driver error.
	if s, ok := arg.(string); ok && !queryableText(s, 1000) {
		return nil, identity.ErrUserNotFound
	}
	var m userModel
	if err := r.db.Conn(ctx).Where(where, arg).Take(&m).Error; err != nil {
		if IsNotFound(err) {
			return nil, identity.ErrUserNotFound
		}
		return nil, fmt.Errorf("user repository: find by %s: %w", where, err)
	}
	return m.toDomain(), nil
}

// SlugsLike returns base and the slugs starting with base + "-". Slugs hold only a-z, 0-9 and
// hyphens, so base needs no LIKE escaping.
func (r *UserRepository) SlugsLike(ctx context.Context, base string) ([]string, error) {
	var slugs []string
	err := r.db.Conn(ctx).Model(&userModel{}).Where("slug = ? OR slug LIKE ?", base, base+"-%").Pluck("slug", &slugs).Error
	if err != nil {
		return nil, fmt.Errorf("user repository: slugs like %s: %w", base, err)
	}
	return slugs, nil
}

// Any reports whether a user exists.
func (r *UserRepository) Any(ctx context.Context) (bool, error) {
	var ids []string
	if err := r.db.Conn(ctx).Model(&userModel{}).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("user repository: any: %w", err)
	}
	return len(ids) > 0, nil
}

// List returns a page of users in id order.
func (r *UserRepository) List(ctx context.Context, page identity.Page) ([]*identity.User, error) {
	q := r.db.Conn(ctx).Order("id").Limit(page.Limit)
	if page.AfterID != "" {
		if !wellFormedID(page.AfterID) {
			return nil, nil // a forged cursor: nothing comes after an id no row can have
		}
		q = q.Where("id > ?", page.AfterID)
	}
	var ms []userModel
	if err := q.Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("user repository: list: %w", err)
	}
	out := make([]*identity.User, len(ms))
	for i, m := range ms {
		out[i] = m.toDomain()
	}
	return out, nil
}

// Save writes u if the stored row is still at expected (optimistic concurrency).
func (r *UserRepository) Save(ctx context.Context, u *identity.User, expected shared.Version) error {
	m := userToModel(u.State())
	res := r.db.Conn(ctx).Model(&userModel{}).Where("id = ? AND version = ?", u.ID(), int64(expected)).Updates(map[string]any{
		"name": m.Name, "role": m.Role, "bio": m.Bio, "avatar_url": m.AvatarURL,
		"disabled": m.Disabled, "version": m.Version, "updated_at": m.UpdatedAt,
	})
	if res.Error != nil {
		return fmt.Errorf("user repository: save %s: %w", u.ID(), res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user repository: save %s: %w", u.ID(), staleOrGone(ctx, r.db, "users", u.ID(), identity.ErrUserNotFound))
	}
	return nil
}
