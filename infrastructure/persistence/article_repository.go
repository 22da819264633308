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
type ArticleRepository struct {
	db     *DB
	stored storedArticles
}

// NewArticleRepository returns the article repository on db.
func NewArticleRepository(db *DB) *ArticleRepository { return &ArticleRepository{db: db} }

// Get returns the article with id, trashed or not, or article.ErrNotFound.
func (r *ArticleRepository) Get(ctx context.Context, id string) (*article.Article, error) {
	if !wellFormedID(id) {
		return nil, article.ErrNotFound
	}
	var rows []struct {
		Article articleModel `gorm:"embedded"`
		TagIDs  *string      `gorm:"column:tag_ids"`
	}
	query := "SELECT a.*, " + tagIDsColumn(r.db.Dialect) + " AS tag_ids FROM articles a WHERE a.id = ?"
	if err := r.db.Conn(ctx).Raw(query, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("article repository: get %s: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, article.ErrNotFound
	}
	tagIDs := splitTagIDs(rows[0].TagIDs)
	a, err := rows[0].Article.toDomain(tagIDs)
	if err != nil {
		return nil, fmt.Errorf("article repository: get %s: %w", id, err)
	}
	r.stored.remember(a, tagIDs)
	return a, nil
}

// Add inserts a and its tags.
func (r *ArticleRepository) Add(ctx context.Context, a *article.Article) error {
	s := a.State()
	m := articleToModel(s)
	if err := r.db.Conn(ctx).Create(&m).Error; err != nil {
		return fmt.Errorf("article repository: add %s: %w", a.ID(), articleWriteError(err))
	}
	if err := r.insertTags(ctx, a.ID(), s.TagIDs); err != nil {
		return fmt.Errorf("article repository: add %s: %w", a.ID(), err)
	}
	r.stored.remember(a, a.TagIDs())
	return nil
}

// Save writes a if the stored row is still at expected (only the columns that changed, when the
// repository knows the row at expected), then its tags if they changed.
func (r *ArticleRepository) Save(ctx context.Context, a *article.Article, expected shared.Version) error {
	m := articleToModel(a.State())
	res := r.db.Conn(ctx).Model(&articleModel{}).Where("id = ? AND version = ?", m.ID, int64(expected)).
		Updates(r.stored.changedColumns(a, expected, m))
	if res.Error != nil {
		return fmt.Errorf("article repository: save %s: %w", m.ID, articleWriteError(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("article repository: save %s: %w", m.ID, staleOrGone(ctx, r.db, "articles", m.ID, article.ErrNotFound))
	}
	if err := r.saveTags(ctx, a, expected); err != nil {
		return fmt.Errorf("article repository: save %s: %w", m.ID, err)
	}
	r.stored.remember(a, a.TagIDs())
	return nil
}

// articleWriteError translates the unique slug index (articles_slug_key; SQLite names the column)
// into slug_taken.
func articleWriteError(err error) error {
	if constraint, ok := UniqueViolation(err); ok && strings.Contains(constraint, "slug") {
		return taken(shared.ErrSlugTaken, "slug", "another article already has that slug", err)
	}
	return err
}

// AddRevision stores rev as the article's next revision, numbered in the same statement, and
// returns its number. Concurrent changes of one article are serialized by the guarded UPDATE of
// its row in the same transaction, and the primary key refuses a duplicate number anyway.
func (r *ArticleRepository) AddRevision(ctx context.Context, rev article.Revision) (int, error) {
	m, err := revisionToModel(rev)
	if err != nil {
		return 0, fmt.Errorf("article repository: add revision of %s: %w", rev.ArticleID, err)
	}
	var number int
	err = r.db.Conn(ctx).Raw(`INSERT INTO article_revisions (article_id, number, title, excerpt,
		excerpt_is_derived, body_markdown, tag_ids, meta_title, meta_description, cover_image_url,
		status, version, editor_id, created_at, seo, pending)
		VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM article_revisions WHERE article_id = ?),
		?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING number`,
		m.ArticleID, m.ArticleID, m.Title, m.Excerpt, m.ExcerptIsDerived, m.BodyMarkdown, m.TagIDs,
		m.MetaTitle, m.MetaDescription, m.CoverImageURL, m.Status, m.Version, m.EditorID, m.CreatedAt,
		m.SEO, m.Pending,
	).Scan(&number).Error
	if err != nil {
		return 0, fmt.Errorf("article repository: add revision of %s: %w", rev.ArticleID, err)
	}
	return number, nil
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

// DueChanges returns up to limit ids of published, untrashed articles whose pending changes are
// due at now, locked as DueScheduled locks its rows.
func (r *ArticleRepository) DueChanges(ctx context.Context, now time.Time, limit int) ([]string, error) {
	query := `SELECT id FROM articles
		WHERE changes_scheduled_at IS NOT NULL AND status = 'published' AND trashed_at IS NULL
		AND changes_scheduled_at <= ? ORDER BY changes_scheduled_at, id LIMIT ?`
	if r.db.Dialect == config.DialectPostgres {
		query += " FOR UPDATE SKIP LOCKED"
	}
	var ids []string
	if err := r.db.Conn(ctx).Raw(query, now.UTC(), limit).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("article repository: due changes: %w", err)
	}
	return ids, nil
}
