package persistence

import (
	"context"
	"fmt"
	"strings"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

var _ tag.Repository = (*TagRepository)(nil)

// TagRepository implements tag.Repository. Deleting a tag removes it from its articles through the
// article_tags foreign key (ON DELETE CASCADE), in the same statement.
type TagRepository struct{ db *DB }

// NewTagRepository returns the tag repository on db.
func NewTagRepository(db *DB) *TagRepository { return &TagRepository{db: db} }

// Get returns the tag with id, or tag.ErrNotFound.
func (r *TagRepository) Get(ctx context.Context, id string) (*tag.Tag, error) {
	if !wellFormedID(id) {
		return nil, tag.ErrNotFound
	}
	return r.first(ctx, "id = ?", id)
}

// GetBySlug returns the tag with slug, or tag.ErrNotFound.
func (r *TagRepository) GetBySlug(ctx context.Context, slug string) (*tag.Tag, error) {
	if !queryableText(slug, shared.MaxSlugLength) {
		return nil, tag.ErrNotFound
	}
	return r.first(ctx, "slug = ?", slug)
}

func (r *TagRepository) first(ctx context.Context, where string, arg any) (*tag.Tag, error) {
	var m tagModel
	if err := r.db.Conn(ctx).Where(where, arg).Take(&m).Error; err != nil {
		if IsNotFound(err) {
			return nil, tag.ErrNotFound
		}
		return nil, fmt.Errorf("tag repository: find by %s: %w", where, err)
	}
	return m.toDomain(), nil
}

// GetBySlugs returns the tags that exist among slugs, in no particular order.
func (r *TagRepository) GetBySlugs(ctx context.Context, slugs []string) ([]*tag.Tag, error) {
	valid := make([]string, 0, len(slugs))
	for _, s := range slugs {
		if queryableText(s, shared.MaxSlugLength) {
			valid = append(valid, s)
		}
	}
	if len(valid) == 0 {
		return nil, nil
	}
	var ms []tagModel
	if err := r.db.Conn(ctx).Where("slug IN ?", valid).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("tag repository: find by slugs: %w", err)
	}
	out := make([]*tag.Tag, len(ms))
	for i, m := range ms {
		out[i] = m.toDomain()
	}
	return out, nil
}

// Add inserts t.
func (r *TagRepository) Add(ctx context.Context, t *tag.Tag) error {
	m := tagToModel(t.State())
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("tag repository: add %s: %w", t.ID(), tagWriteError(err))
	}
	return nil
}

// Save writes t if the stored row is still at expected.
func (r *TagRepository) Save(ctx context.Context, t *tag.Tag, expected shared.Version) error {
	m := tagToModel(t.State())
	res := r.db.Conn(ctx).Model(&tagModel{}).Where("id = ? AND version = ?", m.ID, int64(expected)).Updates(map[string]any{
		"slug": m.Slug, "name": m.Name, "name_key": m.NameKey, "description": m.Description,
		"version": m.Version, "updated_at": m.UpdatedAt,
	})
	if res.Error != nil {
		return fmt.Errorf("tag repository: save %s: %w", m.ID, tagWriteError(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("tag repository: save %s: %w", m.ID, staleOrGone(ctx, r.db, "tags", m.ID, tag.ErrNotFound))
	}
	return nil
}

// Delete removes the tag with id if it is still at expected, and with it every article_tags row
// that refers to it.
func (r *TagRepository) Delete(ctx context.Context, id string, expected shared.Version) error {
	if !wellFormedID(id) {
		return tag.ErrNotFound
	}
	res := r.db.Conn(ctx).Where("id = ? AND version = ?", id, int64(expected)).Delete(&tagModel{})
	if res.Error != nil {
		return fmt.Errorf("tag repository: delete %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("tag repository: delete %s: %w", id, staleOrGone(ctx, r.db, "tags", id, tag.ErrNotFound))
	}
	return nil
}

// tagWriteError translates the unique indexes of tags (tags_slug_key, tags_name_key_key; SQLite
// names the columns) into the domain's conflicts.
func tagWriteError(err error) error {
	constraint, ok := UniqueViolation(err)
	switch {
	case ok && strings.Contains(constraint, "name_key"):
		return taken(tag.ErrNameTaken, "name", "another tag already has that name", err)
	case ok && strings.Contains(constraint, "slug"):
		return taken(shared.ErrSlugTaken, "slug", "another tag already has that slug", err)
	}
	return err
}
