package persistence

import (
	"context"
	"fmt"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// tagViewSQL selects tags with the number of their articles the public can see; its one argument
// is the current time. The count is a correlated subquery on the article_tags (tag_id, article_id)
// index, so listing every tag is still one query.
const tagViewSQL = `SELECT t.id, t.slug, t.name, t.description, t.version, t.created_at, t.updated_at,
	(SELECT COUNT(*) FROM article_tags j JOIN articles a ON a.id = j.article_id
		WHERE j.tag_id = t.id AND ` + publicArticle + `) AS article_count
	FROM tags t`

type tagViewRow struct {
	ID           string    `gorm:"column:id"`
	Slug         string    `gorm:"column:slug"`
	Name         string    `gorm:"column:name"`
	Description  string    `gorm:"column:description"`
	Version      int64     `gorm:"column:version"`
	CreatedAt    time.Time `gorm:"column:created_at"`
	UpdatedAt    time.Time `gorm:"column:updated_at"`
	ArticleCount int       `gorm:"column:article_count"`
}

func (r tagViewRow) view() articleapp.TagView {
	return articleapp.TagView{
		ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, ArticleCount: r.ArticleCount,
		Version: shared.Version(r.Version), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// ListTags returns every tag, ordered by name ignoring case (code-point order on both databases).
func (r *ArticleReadModel) ListTags(ctx context.Context, now time.Time) ([]articleapp.TagView, error) {
	order := " ORDER BY t.name_key, t.id"
	if r.db.Dialect == config.DialectPostgres {
		order = ` ORDER BY t.name_key COLLATE "C", t.id`
	}
	var rows []tagViewRow
	if err := r.db.Conn(ctx).Raw(tagViewSQL+order, now.UTC()).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tag read model: list: %w", err)
	}
	out := make([]articleapp.TagView, len(rows))
	for i, row := range rows {
		out[i] = row.view()
	}
	return out, nil
}

// GetTagBySlug returns the tag with slug, or tag.ErrNotFound.
func (r *ArticleReadModel) GetTagBySlug(ctx context.Context, slug string, now time.Time) (articleapp.TagView, error) {
	if !queryableText(slug, shared.MaxSlugLength) {
		return articleapp.TagView{}, tag.ErrNotFound
	}
	return r.tagView(ctx, "t.slug = ?", slug, now)
}

// GetTag returns the tag with id, or tag.ErrNotFound.
func (r *ArticleReadModel) GetTag(ctx context.Context, id string, now time.Time) (articleapp.TagView, error) {
	if !wellFormedID(id) {
		return articleapp.TagView{}, tag.ErrNotFound
	}
	return r.tagView(ctx, "t.id = ?", id, now)
}

func (r *ArticleReadModel) tagView(ctx context.Context, where, arg string, now time.Time) (articleapp.TagView, error) {
	var rows []tagViewRow
	if err := r.db.Conn(ctx).Raw(tagViewSQL+" WHERE "+where, now.UTC(), arg).Scan(&rows).Error; err != nil {
		return articleapp.TagView{}, fmt.Errorf("tag read model: get by %s: %w", where, err)
	}
	if len(rows) == 0 {
		return articleapp.TagView{}, tag.ErrNotFound
	}
	return rows[0].view(), nil
}
