package persistence

import (
	"time"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// userModel is a row of users. Timestamps come from the application's clock, so GORM's automatic
// ones are off.
type userModel struct {
	ID        string    `gorm:"column:id;primaryKey"`
	Name      string    `gorm:"column:name"`
	Slug      string    `gorm:"column:slug"`
	Email     string    `gorm:"column:email"`
	Role      string    `gorm:"column:role"`
	Bio       string    `gorm:"column:bio"`
	AvatarURL string    `gorm:"column:avatar_url"`
	Disabled  bool      `gorm:"column:disabled"`
	Version   int64     `gorm:"column:version"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (userModel) TableName() string { return "users" }

func userToModel(s identity.UserState) userModel {
	return userModel{
		ID: s.ID, Name: s.Name, Slug: s.Slug, Email: s.Email, Role: string(s.Role), Bio: s.Bio,
		AvatarURL: s.AvatarURL, Disabled: s.Disabled, Version: int64(s.Version),
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
	}
}

func (m userModel) toDomain() *identity.User {
	return identity.RestoreUser(identity.UserState{
		ID: m.ID, Name: m.Name, Slug: m.Slug, Email: m.Email, Role: identity.Role(m.Role), Bio: m.Bio,
		AvatarURL: m.AvatarURL, Disabled: m.Disabled, Version: shared.Version(m.Version),
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	})
}

// tokenModel is a row of api_tokens.
type tokenModel struct {
	ID         string     `gorm:"column:id;primaryKey"`
	UserID     string     `gorm:"column:user_id"`
	Name       string     `gorm:"column:name"`
	Prefix     string     `gorm:"column:prefix"`
	Hash       []byte     `gorm:"column:hash"`
	ReadOnly   bool       `gorm:"column:read_only"`
	ExpiresAt  *time.Time `gorm:"column:expires_at"`
	LastUsedAt *time.Time `gorm:"column:last_used_at"`
	RevokedAt  *time.Time `gorm:"column:revoked_at"`
	CreatedAt  time.Time  `gorm:"column:created_at;autoCreateTime:false"`
}

func (tokenModel) TableName() string { return "api_tokens" }

func tokenToModel(s identity.TokenState) tokenModel {
	return tokenModel{
		ID: s.ID, UserID: s.UserID, Name: s.Name, Prefix: s.Prefix, Hash: s.Hash, ReadOnly: s.ReadOnly,
		ExpiresAt: s.ExpiresAt, LastUsedAt: s.LastUsedAt, RevokedAt: s.RevokedAt, CreatedAt: s.CreatedAt,
	}
}

func (m tokenModel) toDomain() *identity.APIToken {
	return identity.RestoreAPIToken(identity.TokenState{
		ID: m.ID, UserID: m.UserID, Name: m.Name, Prefix: m.Prefix, Hash: m.Hash, ReadOnly: m.ReadOnly,
		ExpiresAt: utc(m.ExpiresAt), LastUsedAt: utc(m.LastUsedAt), RevokedAt: utc(m.RevokedAt), CreatedAt: m.CreatedAt.UTC(),
	})
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
