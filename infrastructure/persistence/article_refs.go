package persistence

import (
	"context"
	"fmt"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
)

// ArticleRefs names an article's author and tags in one statement, so that a write can answer the
// article it has just written without reading it back.
func (r *ArticleReadModel) ArticleRefs(ctx context.Context, authorID string, tagIDs []string) (articleapp.AuthorRef, []articleapp.TagRef, error) {
	author, tags := articleapp.AuthorRef{ID: authorID}, []articleapp.TagRef{}
	valid := make([]string, 0, len(tagIDs))
	for _, id := range tagIDs {
		if wellFormedID(id) {
			valid = append(valid, id)
		}
	}
	if !wellFormedID(authorID) && len(valid) == 0 {
		return author, tags, nil
	}
	var rows []struct {
		Kind string `gorm:"column:kind"`
		ID   string `gorm:"column:id"`
		Slug string `gorm:"column:slug"`
		Name string `gorm:"column:name"`
	}
	err := r.db.Conn(ctx).Raw(`SELECT 'author' AS kind, id, slug, name FROM users WHERE id = ?
		UNION ALL SELECT 'tag', id, slug, name FROM tags WHERE id IN ?`, nullIfMalformed(authorID), valid).Scan(&rows).Error
	if err != nil {
		return author, nil, fmt.Errorf("article read model: name author and tags: %w", err)
	}
	byID := make(map[string]articleapp.TagRef, len(rows))
	for _, row := range rows {
		if row.Kind == "author" {
			author = articleapp.AuthorRef{ID: row.ID, Slug: row.Slug, Name: row.Name}
			continue
		}
		byID[row.ID] = articleapp.TagRef{ID: row.ID, Slug: row.Slug, Name: row.Name}
	}
	for _, id := range valid {
		if t, ok := byID[id]; ok {
			tags = append(tags, t)
		}
	}
	return author, tags, nil
}

// nullIfMalformed lets a malformed id match no row instead of failing PostgreSQL's uuid cast.
func nullIfMalformed(id string) any {
	if wellFormedID(id) {
		return id
	}
	return nil
}
