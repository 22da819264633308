package persistence

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
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

// storedTags remembers, for each article the repository loaded or wrote, which tag ids the database
// held at which version, so that Save can tell an unchanged list from a changed one without reading
// it again. Entries are keyed weakly and dropped once their article is garbage collected: an article
// that is loaded and never saved holds nothing for long.
type storedTags struct{ m sync.Map } // weak.Pointer[article.Article] -> taggedVersion

type taggedVersion struct {
	version shared.Version
	tagIDs  []string
}

func (s *storedTags) remember(a *article.Article, tagIDs []string) {
	key := weak.Make(a)
	if _, existed := s.m.Swap(key, taggedVersion{version: a.Version(), tagIDs: tagIDs}); !existed {
		runtime.AddCleanup(a, func(k weak.Pointer[article.Article]) { s.m.Delete(k) }, key)
	}
}

// unchanged reports whether the database holds a's tag ids already at version: known only when
// this repository loaded or wrote a at that version.
func (s *storedTags) unchanged(a *article.Article, version shared.Version) bool {
	v, ok := s.m.Load(weak.Make(a))
	if !ok {
		return false
	}
	stored := v.(taggedVersion)
	return stored.version == version && slices.Equal(stored.tagIDs, a.TagIDs())
}

// saveTags makes the stored tags of a the ones it has, unless they were so at version expected
// (the row's version before this save).
func (r *ArticleRepository) saveTags(ctx context.Context, a *article.Article, expected shared.Version) error {
	if r.stored.unchanged(a, expected) {
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
