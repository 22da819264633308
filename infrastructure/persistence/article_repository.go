package persistence

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

var _ article.Repository = (*ArticleRepository)(nil)

// ArticleRepository implements article.Repository. An article is a row of articles plus its tags in
// article_tags, in order; Add and Save write both, so callers run them inside TxManager.Do (as
// every application service does) to have them commit together.
type ArticleRepository struct{ db *DB }

// NewArticleRepository returns the article repository on db.
func NewArticleRepository(db *DB) *ArticleRepository { return &ArticleRepository{db: db} }

// Get returns the article with id, trashed or not, or article.ErrNotFound.
func (r *ArticleRepository) Get(ctx context.Context, id string) (*article.Article, error) {
	if !wellFormedID(id) {
		return nil, article.ErrNotFound
	}
	var m articleModel
	if err := r.db.Conn(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		if IsNotFound(err) {
			return nil, article.ErrNotFound
		}
		return nil, fmt.Errorf("article repository: get %s: %w", id, err)
	}
	var tagIDs []string
	err := r.db.Conn(ctx).Model(&articleTagModel{}).Where("article_id = ?", id).Order("position").Pluck("tag_id", &tagIDs).Error
	if err != nil {
		return nil, fmt.Errorf("article repository: get tags of %s: %w", id, err)
	}
	return m.toDomain(tagIDs), nil
}

// Add inserts a and its tags.
func (r *ArticleRepository) Add(ctx context.Context, a *article.Article) error {
	m := articleToModel(a)
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("article repository: add %s: %w", a.ID(), articleWriteError(err))
	}
	if err := r.insertTags(ctx, a.ID(), a.TagIDs()); err != nil {
		return fmt.Errorf("article repository: add %s: %w", a.ID(), err)
	}
	return nil
}

// Save writes a if the stored row is still at expected, then replaces its tags.
func (r *ArticleRepository) Save(ctx context.Context, a *article.Article, expected shared.Version) error {
	m := articleToModel(a)
	res := r.db.Conn(ctx).Model(&articleModel{}).Where("id = ? AND version = ?", m.ID, int64(expected)).Updates(map[string]any{
		"slug": m.Slug, "title": m.Title, "excerpt": m.Excerpt, "excerpt_is_derived": m.ExcerptIsDerived,
		"body_markdown": m.BodyMarkdown, "body_html": m.BodyHTML, "body_text": m.BodyText,
		"reading_time_minutes": m.ReadingTimeMinutes, "cover_image_url": m.CoverImageURL,
		"meta_title": m.MetaTitle, "meta_description": m.MetaDescription, "status": m.Status,
		"published_at": m.PublishedAt, "scheduled_at": m.ScheduledAt, "trashed_at": m.TrashedAt,
		"version": m.Version, "updated_at": m.UpdatedAt,
	})
	if res.Error != nil {
		return fmt.Errorf("article repository: save %s: %w", m.ID, articleWriteError(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("article repository: save %s: %w", m.ID, staleOrGone(ctx, r.db, "articles", m.ID, article.ErrNotFound))
	}
	if err := r.db.Conn(ctx).Where("article_id = ?", m.ID).Delete(&articleTagModel{}).Error; err != nil {
		return fmt.Errorf("article repository: save %s: clear tags: %w", m.ID, err)
	}
	if err := r.insertTags(ctx, m.ID, a.TagIDs()); err != nil {
		return fmt.Errorf("article repository: save %s: %w", m.ID, err)
	}
	return nil
}

// insertTags stores the article's tags in one statement. The application resolves tags before it
// saves, so an unknown tag here is one deleted in between: the same validation error as an unknown
// tag slug.
func (r *ArticleRepository) insertTags(ctx context.Context, articleID string, tagIDs []string) error {
	if len(tagIDs) == 0 {
		return nil
	}
	rows := make([]articleTagModel, len(tagIDs))
	for i, id := range tagIDs {
		if !wellFormedID(id) {
			return errUnknownTag
		}
		rows[i] = articleTagModel{ArticleID: articleID, TagID: id, Position: i}
	}
	if err := r.db.Conn(ctx).Create(&rows).Error; err != nil {
		if ForeignKeyViolation(err) {
			return errUnknownTag.WithCause(err)
		}
		return fmt.Errorf("insert tags: %w", err)
	}
	return nil
}

var errUnknownTag = shared.Validation(shared.FieldError{Field: "tags", Message: "names a tag that does not exist"})

// articleWriteError translates the unique slug index (articles_slug_key; SQLite names the column)
// into slug_taken.
func articleWriteError(err error) error {
	if constraint, ok := UniqueViolation(err); ok && strings.Contains(constraint, "slug") {
		return taken(shared.ErrSlugTaken, "slug", "another article already has that slug", err)
	}
	return err
}

// AddRevision stores rev; numbers are unique per article.
func (r *ArticleRepository) AddRevision(ctx context.Context, rev article.Revision) error {
	m, err := revisionToModel(rev)
	if err == nil {
		err = r.db.Conn(ctx).Create(&m).Error
	}
	if err != nil {
		return fmt.Errorf("article repository: add revision %d of %s: %w", rev.Number, rev.ArticleID, err)
	}
	return nil
}

// ListRevisions returns one page of the article's revisions, newest first (a keyset on number).
func (r *ArticleRepository) ListRevisions(ctx context.Context, q article.RevisionQuery) ([]article.Revision, error) {
	if !wellFormedID(q.ArticleID) {
		return nil, nil
	}
	query := r.db.Conn(ctx).Where("article_id = ?", q.ArticleID)
	if q.Before > 0 {
		query = query.Where("number < ?", q.Before)
	}
	var ms []articleRevisionModel
	if err := query.Order("number DESC").Limit(q.Limit).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("article repository: list revisions of %s: %w", q.ArticleID, err)
	}
	out := make([]article.Revision, len(ms))
	for i, m := range ms {
		rev, err := m.toDomain()
		if err != nil {
			return nil, fmt.Errorf("article repository: list revisions: %w", err)
		}
		out[i] = rev
	}
	return out, nil
}

// GetRevision returns revision number of the article, or article.ErrRevisionNotFound.
func (r *ArticleRepository) GetRevision(ctx context.Context, articleID string, number int) (article.Revision, error) {
	if !wellFormedID(articleID) {
		return article.Revision{}, article.ErrRevisionNotFound
	}
	var m articleRevisionModel
	if err := r.db.Conn(ctx).Where("article_id = ? AND number = ?", articleID, number).Take(&m).Error; err != nil {
		if IsNotFound(err) {
			return article.Revision{}, article.ErrRevisionNotFound
		}
		return article.Revision{}, fmt.Errorf("article repository: get revision %d of %s: %w", number, articleID, err)
	}
	rev, err := m.toDomain()
	if err != nil {
		return article.Revision{}, fmt.Errorf("article repository: %w", err)
	}
	return rev, nil
}

// NextRevisionNumber is one more than the article's highest revision number, 1 for none.
func (r *ArticleRepository) NextRevisionNumber(ctx context.Context, articleID string) (int, error) {
	var last int
	err := r.db.Conn(ctx).Model(&articleRevisionModel{}).Where("article_id = ?", articleID).
		Select("COALESCE(MAX(number), 0)").Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("article repository: next revision number of %s: %w", articleID, err)
	}
	return last + 1, nil
}

// PurgeTrashedBefore deletes the articles trashed before t; their tags and revisions go with them
// (ON DELETE CASCADE), and on SQLite a trigger drops them from the search index.
func (r *ArticleRepository) PurgeTrashedBefore(ctx context.Context, t time.Time) (int, error) {
	res := r.db.Conn(ctx).Where("trashed_at IS NOT NULL AND trashed_at < ?", t.UTC()).Delete(&articleModel{})
	if res.Error != nil {
		return 0, fmt.Errorf("article repository: purge trash before %s: %w", t.Format(time.RFC3339), res.Error)
	}
	return int(res.RowsAffected), nil
}

// DueScheduled returns up to limit ids of untrashed scheduled articles due at now, oldest first. On
// PostgreSQL the rows stay locked until the caller's transaction ends and concurrent workers skip
// them; SQLite has a single writer, whose transaction already excludes every other.
func (r *ArticleRepository) DueScheduled(ctx context.Context, now time.Time, limit int) ([]string, error) {
	query := `SELECT id FROM articles
		WHERE status = 'scheduled' AND trashed_at IS NULL AND scheduled_at <= ?
		ORDER BY scheduled_at, id LIMIT ?`
	if r.db.Dialect == config.DialectPostgres {
		query += " FOR UPDATE SKIP LOCKED"
	}
	var ids []string
	if err := r.db.Conn(ctx).Raw(query, now.UTC(), limit).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("article repository: due scheduled: %w", err)
	}
	return ids, nil
}
