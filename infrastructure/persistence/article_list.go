package persistence

import (
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
	where     []string
	args      []any
	order     string
	orderArgs []any
	key       sortKey
}

// sortKey is the column a list is ordered by; the id always breaks ties, in the same direction.
type sortKey struct {
	column   string
	desc     bool
	title    bool // the key is the title, else a time
	nullable bool // admin lists by published_at hold undated articles, which come last
}

// newList translates q (normalized) into SQL. It reports false when q can match no article (a
// malformed slug, a search with nothing to search for), so that no query needs to run.
func (r *ArticleReadModel) newList(q articleapp.ListQuery) (*articleList, bool) {
	l := &articleList{from: "articles a"}
	admin := q.Visibility == articleapp.VisibilityAdmin
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
	if len(q.TagSlugs) > 0 {
		slugs := make([]string, 0, len(q.TagSlugs))
		for _, s := range q.TagSlugs {
			if queryableText(s, shared.MaxSlugLength) {
				slugs = append(slugs, s)
			}
		}
		if len(slugs) == 0 {
			return nil, false
		}
		l.and(`EXISTS (SELECT 1 FROM article_tags j JOIN tags t ON t.id = j.tag_id
			WHERE j.article_id = a.id AND t.slug IN ?)`, slugs)
	}
	if q.AuthorSlug != "" {
		if !queryableText(q.AuthorSlug, shared.MaxSlugLength) {
			return nil, false
		}
		// A scalar subquery (slugs are unique) lets the planner use the author listing index with the
		// author's id as a constant: an IN (…) here made PostgreSQL scan every published article.
		l.and("a.author_id = (SELECT u.id FROM users u WHERE u.slug = ?)", q.AuthorSlug)
	}
	if q.Q != "" && !r.search(l, q.Q, q.Sort == articleapp.SortRelevance) {
		return nil, false
	}
	if q.Sort != articleapp.SortRelevance {
		l.key = r.sortKey(q.Sort, admin)
		l.order = l.key.orderBy()
	}
	return l, true
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
	return k.column + dir + nulls + ", a.id" + dir
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
			l.and(fmt.Sprintf("(%s IS NULL AND a.id %s ?)", l.key.column, op), c.ID)
			return nil
		}
		key = c.Time.UTC()
	}
	if l.key.nullable {
		l.and(fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND a.id %[2]s ?) OR %[1]s IS NULL)", l.key.column, op), key, key, c.ID)
		return nil
	}
	l.and(fmt.Sprintf("(%s, a.id) %s (?, ?)", l.key.column, op), key, c.ID)
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

func (l *articleList) countSQL() string { return "SELECT COUNT(*)" + l.conditions() }

// page returns the query of up to limit rows and its arguments; offset is only for page mode (> 0).
func (l *articleList) page(columns string, limit, offset int) (string, []any) {
	query := "SELECT " + columns + l.conditions() + " ORDER BY " + l.order + " LIMIT ?"
	args := make([]any, 0, len(l.args)+len(l.orderArgs)+2)
	args = append(args, l.args...)
	args = append(args, l.orderArgs...)
	args = append(args, limit)
	if offset > 0 {
		query += " OFFSET ?"
		args = append(args, offset)
	}
	return query, args
}
