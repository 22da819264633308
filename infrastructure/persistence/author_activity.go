package persistence

import (
	"context"
	"fmt"
	"time"
)

// AuthorActivity implements the identity service's PublishedAuthors port: it tells whether a user
// has an article on the public API, which is what makes their profile public.
type AuthorActivity struct{ db *DB }

// NewAuthorActivity returns the port on db.
func NewAuthorActivity(db *DB) *AuthorActivity { return &AuthorActivity{db: db} }

// HasPublished reports whether authorID has at least one article visible on the public API at now.
// The (author_id, status, published_at) index answers it from its first entry.
func (a *AuthorActivity) HasPublished(ctx context.Context, authorID string, now time.Time) (bool, error) {
	if !wellFormedID(authorID) {
		return false, nil
	}
	var found []int
	err := a.db.Conn(ctx).Raw(`SELECT 1 FROM articles a WHERE a.author_id = ? AND `+publicArticle+` LIMIT 1`,
		authorID, now.UTC()).Scan(&found).Error
	if err != nil {
		return false, fmt.Errorf("author activity: published articles of %s: %w", authorID, err)
	}
	return len(found) > 0, nil
}
