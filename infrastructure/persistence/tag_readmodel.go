package persistence

import (
	"context"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/application/listing"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// TagReadModel implements tagapp.ReadModel: tags with their counts of public articles.
type TagReadModel struct{ db *DB }

// NewTagReadModel returns the tag read model on db.
func NewTagReadModel(db *DB) *TagReadModel { return &TagReadModel{db: db} }

// tagViewSQL selects tags with the number of their articles the public can see; its first argument
// is the current time. The count is a correlated subquery on the article_tags (tag_id, article_id)
// index, so a page of tags is still one query.
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

func (r tagViewRow) view() tagapp.TagView {
	return tagapp.TagView{
		ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Description, ArticleCount: r.ArticleCount,
		Version: shared.Version(r.Version), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// List returns a page of tags in tagapp.ListOrder: by name ignoring case (the unique name_key, in
// code-point order on both databases), then id, continuing after q.After by keyset on (name_key,
// id). Only a cursor id the database cannot compare (a forged cursor with a good checksum) is
// refused, with listing.ErrInvalidCursor.
func (r *TagReadModel) List(ctx context.Context, q tagapp.ListQuery) ([]tagapp.TagView, error) {
	key := "t.name_key"
	if r.db.Dialect == config.DialectPostgres {
		key = `t.name_key COLLATE "C"`
	}
	query, args := tagViewSQL, []any{q.Now.UTC()}
	if q.After != nil {
		if !wellFormedID(q.After.ID) {
			return nil, listing.ErrInvalidCursor
		}
		query += " WHERE (" + key + ", t.id) > (?, ?)"
		args = append(args, q.After.Text, q.After.ID)
	}
	query += " ORDER BY " + key + ", t.id LIMIT ?"
	args = append(args, q.Limit)
	var rows []tagViewRow
	if err := r.db.Conn(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tag read model: list: %w", err)
	}
	out := make([]tagapp.TagView, len(rows))
	for i, row := range rows {
		out[i] = row.view()
	}
	return out, nil
}

// GetBySlug returns the tag with slug, or tag.ErrNotFound.
func (r *TagReadModel) GetBySlug(ctx context.Context, slug string, now time.Time) (tagapp.TagView, error) {
	if !queryableText(slug, shared.MaxSlugLength) {
		return tagapp.TagView{}, tag.ErrNotFound
	}
	return r.one(ctx, "t.slug = ?", slug, now)
}

// Get returns the tag with id, or tag.ErrNotFound.
func (r *TagReadModel) Get(ctx context.Context, id string, now time.Time) (tagapp.TagView, error) {
	if !wellFormedID(id) {
		return tagapp.TagView{}, tag.ErrNotFound
	}
	return r.one(ctx, "t.id = ?", id, now)
}

func (r *TagReadModel) one(ctx context.Context, where, arg string, now time.Time) (tagapp.TagView, error) {
	var rows []tagViewRow
	if err := r.db.Conn(ctx).Raw(tagViewSQL+" WHERE "+where, now.UTC(), arg).Scan(&rows).Error; err != nil {
		return tagapp.TagView{}, fmt.Errorf("tag read model: get by %s: %w", where, err)
	}
	if len(rows) == 0 {
		return tagapp.TagView{}, tag.ErrNotFound
	}
	return rows[0].view(), nil
}
