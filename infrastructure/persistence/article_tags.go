package persistence

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// An article's tags are rows of article_tags in list order (position). The repository reads them
// with the article in one statement and rewrites them only when the list changed.

// tagIDsColumn is the subquery that reads an article's tag ids, in order and comma-separated (ids
// are UUIDs), as one more column of the article's row.
func tagIDsColumn(d config.Dialect) string {
	if d == config.DialectPostgres {
		return `(SELECT string_agg(j.tag_id::text, ',' ORDER BY j.position) FROM article_tags j WHERE j.article_id = a.id)`
	}
	return `(SELECT group_concat(j.tag_id, ',' ORDER BY j.position) FROM article_tags j WHERE j.article_id = a.id)`
}

func splitTagIDs(column *string) []string {
	if column == nil || *column == "" {
		return nil
	}
	return strings.Split(*column, ",")
}

// storedArticles remembers, for each article the repository loaded or wrote, the row and the tag
// ids the database held at which version, so that Save writes only the columns that changed and
// rewrites the tags only when the list changed, without reading them again. Writing an unchanged
// body or title costs more than its bytes: PostgreSQL recomputes the generated search vector and
// SQLite re-indexes the article in FTS whenever one of their source columns is in the UPDATE.
// Entries are keyed weakly and dropped once their article is garbage collected: an article that is
// loaded and never saved holds nothing for long.
type storedArticles struct{ m sync.Map } // weak.Pointer[article.Article] -> storedArticle

type storedArticle struct {
	version shared.Version
	row     articleModel
	tagIDs  []string
}

func (s *storedArticles) remember(a *article.Article, tagIDs []string) {
	key := weak.Make(a)
	stored := storedArticle{version: a.Version(), row: articleToModel(a.State()), tagIDs: tagIDs}
	if _, existed := s.m.Swap(key, stored); !existed {
		runtime.AddCleanup(a, func(k weak.Pointer[article.Article]) { s.m.Delete(k) }, key)
	}
}

// at returns what the database holds of a at version: known only when this repository loaded or
// wrote a at that version.
func (s *storedArticles) at(a *article.Article, version shared.Version) (storedArticle, bool) {
	v, ok := s.m.Load(weak.Make(a))
	if !ok {
		return storedArticle{}, false
	}
	stored := v.(storedArticle)
	return stored, stored.version == version
}

// unchangedTags reports whether the database holds a's tag ids already at version.
func (s *storedArticles) unchangedTags(a *article.Article, version shared.Version) bool {
	stored, ok := s.at(a, version)
	return ok && slices.Equal(stored.tagIDs, a.TagIDs())
}

// articleColumns are the columns Save may write, with m's values.
func articleColumns(m articleModel) map[string]any {
	cols := m.Staged.updates()
	maps.Copy(cols, map[string]any{
		"slug": m.Slug, "title": m.Title, "excerpt": m.Excerpt, "excerpt_is_derived": m.ExcerptIsDerived,
		"body_markdown": m.BodyMarkdown, "body_html": m.BodyHTML, "body_text": m.BodyText,
		"reading_time_minutes": m.ReadingTimeMinutes, "cover_image_url": m.CoverImageURL,
		"meta_title": m.MetaTitle, "meta_description": m.MetaDescription, "status": m.Status,
		"published_at": m.PublishedAt, "scheduled_at": m.ScheduledAt, "trashed_at": m.TrashedAt,
		"version": m.Version, "updated_at": m.UpdatedAt,
	})
	return cols
}

// changedColumns are the columns of m that differ from what the database holds of a at version
// (every column when that is not known); version and updated_at always change.
func (s *storedArticles) changedColumns(a *article.Article, version shared.Version, m articleModel) map[string]any {
	cols := articleColumns(m)
	stored, ok := s.at(a, version)
	if !ok {
		return cols
	}
	for name, old := range articleColumns(stored.row) {
		if name != "version" && name != "updated_at" && sameValue(old, cols[name]) {
			delete(cols, name)
		}
	}
	return cols
}

// sameValue compares two column values of articleColumns: times by instant, the rest by value.
func sameValue(a, b any) bool {
	if ta, ok := a.(*time.Time); ok {
		tb := b.(*time.Time)
		return (ta == nil && tb == nil) || (ta != nil && tb != nil && ta.Equal(*tb))
	}
	if sa, ok := a.(*string); ok {
		sb := b.(*string)
		return (sa == nil && sb == nil) || (sa != nil && sb != nil && *sa == *sb)
	}
	return a == b
}

// saveTags makes the stored tags of a the ones it has, unless they were so at version expected
// (the row's version before this save).
func (r *ArticleRepository) saveTags(ctx context.Context, a *article.Article, expected shared.Version) error {
	if r.stored.unchangedTags(a, expected) {
		return nil
	}
	if err := r.db.Conn(ctx).Where("article_id = ?", a.ID()).Delete(&articleTagModel{}).Error; err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	return r.insertTags(ctx, a.ID(), a.TagIDs())
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
