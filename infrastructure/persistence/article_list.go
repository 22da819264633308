package persistence

import (
	"context"
	"fmt"
	"strings"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// articleList is the SQL of one list query: the tables, the conditions and the order, each with its
// arguments in the order their placeholders appear.
type articleList struct {
	from      string
	fromArgs  []any
	where     []string
	args      []any
	order     string
	orderArgs []any
	key       sortKey
}

// sortKey is the column a list is ordered by; the id always breaks ties, in the same direction.
type sortKey struct {
	column   string
	id       string // the id column, a.id unless the list is driven from another table
	desc     bool
	title    bool // the key is the title, else a time
	nullable bool // admin lists by published_at hold undated articles, which come last
}

// newList translates q (normalized) into SQL. It reports false when q can match no article (a
// malformed or unknown slug, a search with nothing to search for), so that no list query needs to run.
// whole asks for every row a page could reach (a count), not just q's page.
func (r *ArticleReadModel) newList(ctx context.Context, q articleapp.ListQuery, whole bool) (*articleList, bool, error) {
	l := &articleList{from: "articles a"}
	admin := q.Visibility == articleapp.VisibilityAdmin
	byTag := false
	if admin {
		if len(q.Statuses) > 0 {
			statuses := make([]string, len(q.Statuses))
			for i, s := range q.Statuses {
				statuses[i] = string(s)
			}
			l.and("a.status IN ?", statuses)
		}
		switch q.Trash {
		case articleapp.TrashExcluded:
			l.and("a.trashed_at IS NULL")
		case articleapp.TrashOnly:
			l.and("a.trashed_at IS NOT NULL")
		case articleapp.TrashIncluded:
		}
	} else {
		l.and(publicArticle, q.Now.UTC())
	}
	if q.Featured {
		// As written in the predicate of articles_featured_published_idx, so that both planners use it.
		l.and("a.featured")
	}
	if len(q.TagSlugs) > 0 || q.AuthorSlug != "" {
		tagIDs, authorID, ok, err := r.resolveFilters(ctx, q.TagSlugs, q.AuthorSlug)
		if err != nil || !ok {
			return nil, false, err
		}
		switch {
		case !admin && len(tagIDs) == 1 && q.Q == "" &&
			(q.Sort == articleapp.SortPublishedDesc || q.Sort == articleapp.SortPublishedAsc):
			// One tag's public page by date: walk the tag's links in listed_at order (the index
			// article_tags_tag_listed_idx, which also holds the author) and stop at the page size.
			l.from = "article_tags j JOIN articles a ON a.id = j.article_id"
			l.and("j.tag_id = ? AND j.listed_at <= ?", tagIDs[0], q.Now.UTC())
			if authorID != "" {
				l.and("j.author_id = ?", authorID)
			}
			byTag = true
		case len(tagIDs) > 0:
			l.and("EXISTS (SELECT 1 FROM article_tags j WHERE j.article_id = a.id AND j.tag_id IN ?)", tagIDs)
		}
		if authorID != "" {
			l.and("a.author_id = ?", authorID)
		}
	}
	if q.Q != "" {
		need := searchCandidates
		if !whole && q.Page == 0 {
			need = q.Limit + 1
		}
		if !r.search(l, q.Q, q.Sort == articleapp.SortRelevance, !admin, need) {
			return nil, false, nil
		}
	}
	if q.Sort != articleapp.SortRelevance {
		l.key = r.sortKey(q.Sort, admin)
		if byTag {
			l.key.column, l.key.id = "j.listed_at", "j.article_id"
		}
		l.order = l.key.orderBy()
	}
	return l, true, nil
}

// resolveFilters turns the tag slugs and the author slug into ids with one query of unique-index
// lookups, so that the list query compares ids and an unknown slug costs a lookup, not a scan:
// before, a tag slug matched inside the list query made the planner walk every published article
// looking for one that carries it (5.7 s at 100,000 articles on PostgreSQL). It reports false when
// the filters can match no article (no tag known, an unknown author, a malformed slug).
func (r *ArticleReadModel) resolveFilters(ctx context.Context, tagSlugs []string, authorSlug string) ([]string, string, bool, error) {
	var (
		parts []string
		args  []any
	)
	if len(tagSlugs) > 0 {
		slugs := make([]string, 0, len(tagSlugs))
		for _, s := range tagSlugs {
			if queryableText(s, shared.MaxSlugLength) {
				slugs = append(slugs, s)
			}
		}
		if len(slugs) == 0 {
			return nil, "", false, nil
		}
		parts, args = append(parts, "SELECT 't' AS kind, id FROM tags WHERE slug IN ?"), append(args, slugs)
	}
	if authorSlug != "" {
		if !queryableText(authorSlug, shared.MaxSlugLength) {
			return nil, "", false, nil
		}
		parts, args = append(parts, "SELECT 'u' AS kind, id FROM users WHERE slug = ?"), append(args, authorSlug)
	}
	var rows []struct {
		Kind string `gorm:"column:kind"`
		ID   string `gorm:"column:id"`
	}
	if err := r.db.Conn(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, "", false, fmt.Errorf("article read model: resolve filters: %w", err)
	}
	var (
		tagIDs   []string
		authorID string
	)
	for _, row := range rows {
		if row.Kind == "t" {
			tagIDs = append(tagIDs, row.ID)
		} else {
			authorID = row.ID
		}
	}
	if (len(tagSlugs) > 0 && len(tagIDs) == 0) || (authorSlug != "" && authorID == "") {
		return nil, "", false, nil
	}
	return tagIDs, authorID, true, nil
}

func (r *ArticleReadModel) sortKey(s articleapp.Sort, admin bool) sortKey {
	title := "a.title"
	if r.db.Dialect == config.DialectPostgres {
		// Code-point order, as SQLite's BINARY collation compares: one order on every database and
		// server locale. The title index is built with the same collation.
		title = `a.title COLLATE "C"`
	}
	switch s {
	case articleapp.SortPublishedAsc:
		return sortKey{column: "a.published_at", nullable: admin}
	case articleapp.SortTitleAsc:
		return sortKey{column: title, title: true}
	case articleapp.SortTitleDesc:
		return sortKey{column: title, desc: true, title: true}
	case articleapp.SortUpdatedDesc:
		return sortKey{column: "a.updated_at", desc: true}
	case articleapp.SortCreatedDesc:
		return sortKey{column: "a.created_at", desc: true}
	default:
		return sortKey{column: "a.published_at", desc: true, nullable: admin}
	}
}

// orderBy orders by the key, then the id. Only nullable keys say NULLS LAST: on the public list the
// key is never NULL, and the plain order matches the (status, published_at DESC, id DESC) index.
func (k sortKey) orderBy() string {
	dir := " ASC"
	if k.desc {
		dir = " DESC"
	}
	nulls := ""
	if k.nullable {
		nulls = " NULLS LAST"
	}
	return k.column + dir + nulls + ", " + k.idColumn() + dir
}

func (k sortKey) idColumn() string {
	if k.id == "" {
		return "a.id"
	}
	return k.id
}

// after continues the list after the cursor's item: a keyset condition on (key, id), never an
// offset. Both databases compare row values, so the plain case is one index-friendly comparison;
// a nullable key spells out where the undated articles are. The cursor was made for this sort (the
// edge checked its order); a cursor without a time in a sort whose key is never NULL comes last. Only
// an id the database cannot compare (a forged cursor with a good checksum) is refused here.
func (l *articleList) after(c *listing.Cursor) error {
	if !wellFormedID(c.ID) {
		return listing.ErrInvalidCursor
	}
	op := ">"
	if l.key.desc {
		op = "<"
	}
	var key any = c.Text
	if !l.key.title {
		if c.Time == nil {
			l.and(fmt.Sprintf("(%s IS NULL AND %s %s ?)", l.key.column, l.key.idColumn(), op), c.ID)
			return nil
		}
		key = c.Time.UTC()
	}
	if l.key.nullable {
		l.and(fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND %[3]s %[2]s ?) OR %[1]s IS NULL)", l.key.column, op, l.key.idColumn()), key, key, c.ID)
		return nil
	}
	l.and(fmt.Sprintf("(%s, %s) %s (?, ?)", l.key.column, l.key.idColumn(), op), key, c.ID)
	return nil
}

func (l *articleList) and(cond string, args ...any) {
	l.where = append(l.where, cond)
	l.args = append(l.args, args...)
}

func (l *articleList) conditions() string {
	if len(l.where) == 0 {
		return " FROM " + l.from
	}
	return " FROM " + l.from + " WHERE " + strings.Join(l.where, " AND ")
}

// count returns the query counting the list's rows and its arguments.
func (l *articleList) count() (string, []any) {
	return "SELECT COUNT(*)" + l.conditions(), append(append([]any(nil), l.fromArgs...), l.args...)
}

// page returns the query of up to limit rows and its arguments; offset is only for page mode (> 0).
func (l *articleList) page(columns string, limit, offset int) (string, []any) {
	query := "SELECT " + columns + l.conditions() + " ORDER BY " + l.order + " LIMIT ?"
	args := make([]any, 0, len(l.fromArgs)+len(l.args)+len(l.orderArgs)+2)
	args = append(args, l.fromArgs...)
	args = append(args, l.args...)
	args = append(args, l.orderArgs...)
	args = append(args, limit)
	if offset > 0 {
		query += " OFFSET ?"
		args = append(args, offset)
	}
	return query, args
}
