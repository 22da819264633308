package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
)

var _ article.PreviewTokenRepository = (*PreviewTokens)(nil)

// previewTokenModel is a row of preview_tokens. CreatedBy is NULL once its user is deleted.
type previewTokenModel struct {
	ID        string     `gorm:"column:id;primaryKey"`
	ArticleID string     `gorm:"column:article_id"`
	CreatedBy *string    `gorm:"column:created_by"`
	Hash      []byte     `gorm:"column:hash"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	RevokedAt *time.Time `gorm:"column:revoked_at"`
}

func (previewTokenModel) TableName() string { return "preview_tokens" }

func (m previewTokenModel) toDomain() *article.PreviewToken {
	by := ""
	if m.CreatedBy != nil {
		by = *m.CreatedBy
	}
	return article.RehydratePreviewToken(article.PreviewTokenState{
		ID: m.ID, ArticleID: m.ArticleID, CreatedBy: by, Hash: m.Hash,
		CreatedAt: m.CreatedAt.UTC(), ExpiresAt: m.ExpiresAt.UTC(), RevokedAt: utc(m.RevokedAt),
	})
}

// PreviewTokens implements article.PreviewTokenRepository.
type PreviewTokens struct{ db *DB }

// NewPreviewTokens returns the preview token repository on db.
func NewPreviewTokens(db *DB) *PreviewTokens { return &PreviewTokens{db: db} }

// Add inserts t.
func (r *PreviewTokens) Add(ctx context.Context, t *article.PreviewToken) error {
	s := t.State()
	m := previewTokenModel{
		ID: s.ID, ArticleID: s.ArticleID, Hash: s.Hash, CreatedAt: s.CreatedAt.UTC(), ExpiresAt: s.ExpiresAt.UTC(),
		RevokedAt: utcOrNil(s.RevokedAt),
	}
	if s.CreatedBy != "" {
		m.CreatedBy = &s.CreatedBy
	}
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("preview tokens: add %s: %w", s.ID, err)
	}
	return nil
}

// GetByHash returns the token with hash: an equality lookup on a unique index.
func (r *PreviewTokens) GetByHash(ctx context.Context, hash []byte) (*article.PreviewToken, error) {
	var ms []previewTokenModel
	if err := r.db.Conn(ctx).Where("hash = ?", hash).Limit(1).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("preview tokens: find by hash: %w", err)
	}
	if len(ms) == 0 {
		return nil, article.ErrInvalidPreviewToken
	}
	return ms[0].toDomain(), nil
}

// Get returns the article's token with id.
func (r *PreviewTokens) Get(ctx context.Context, articleID, id string) (*article.PreviewToken, error) {
	if !wellFormedID(articleID) || !wellFormedID(id) {
		return nil, article.ErrPreviewTokenNotFound
	}
	var ms []previewTokenModel
	if err := r.db.Conn(ctx).Where("id = ? AND article_id = ?", id, articleID).Limit(1).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("preview tokens: get %s: %w", id, err)
	}
	if len(ms) == 0 {
		return nil, article.ErrPreviewTokenNotFound
	}
	return ms[0].toDomain(), nil
}

const activePreviewToken = "article_id = ? AND revoked_at IS NULL AND expires_at > ?"

// ListActive returns the article's active tokens, newest first.
func (r *PreviewTokens) ListActive(ctx context.Context, articleID string, now time.Time) ([]*article.PreviewToken, error) {
	if !wellFormedID(articleID) {
		return nil, nil
	}
	var ms []previewTokenModel
	err := r.db.Conn(ctx).Where(activePreviewToken, articleID, now.UTC()).
		Order("created_at DESC, id DESC").Limit(article.MaxActivePreviewTokens).Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("preview tokens: list of %s: %w", articleID, err)
	}
	out := make([]*article.PreviewToken, len(ms))
	for i, m := range ms {
		out[i] = m.toDomain()
	}
	return out, nil
}

// CountActive counts the article's active tokens.
func (r *PreviewTokens) CountActive(ctx context.Context, articleID string, now time.Time) (int, error) {
	if !wellFormedID(articleID) {
		return 0, nil
	}
	var n int64
	if err := r.db.Conn(ctx).Model(&previewTokenModel{}).Where(activePreviewToken, articleID, now.UTC()).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("preview tokens: count of %s: %w", articleID, err)
	}
	return int(n), nil
}

// Save writes the revocation time, once: a revoked row keeps its first time.
func (r *PreviewTokens) Save(ctx context.Context, t *article.PreviewToken) error {
	err := r.db.Conn(ctx).Model(&previewTokenModel{}).Where("id = ? AND revoked_at IS NULL", t.ID()).
		Update("revoked_at", utcOrNil(t.RevokedAt())).Error
	if err != nil {
		return fmt.Errorf("preview tokens: revoke %s: %w", t.ID(), err)
	}
	return nil
}
