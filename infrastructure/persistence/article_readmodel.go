package persistence

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

var _ articleapp.ReadModel = (*ArticleReadModel)(nil)

// ArticleReadModel implements the application's article read model in SQL. A list takes a constant
// number of queries whatever its length: the count (page mode only, unless cached), the page itself
// (its ids first when it starts at an offset, see rows), then the tags and the authors of every
// article on it, one query each.
type ArticleReadModel struct{ db *DB }

// NewArticleReadModel returns the read model on db.
func NewArticleReadModel(db *DB) *ArticleReadModel { return &ArticleReadModel{db: db} }

const (
	summaryColumns = `a.id, a.author_id, a.slug, a.title, a.excerpt, a.cover_image_url, a.status,
		a.published_at, a.scheduled_at, a.trashed_at, a.created_at, a.updated_at,
		a.reading_time_minutes, a.version, a.featured`
	detailColumns = summaryColumns + `, a.body_markdown, a.body_html, a.meta_title, a.meta_description, ` + seoColumns
	// adminDetailColumns add the pending changes, which only the management API reads.
	adminDetailColumns = detailColumns + `, a.pending_changes, a.changes_scheduled_at`
	// publicArticle is what the public may see; its one argument is the current time.
	publicArticle = `a.status = 'published' AND a.trashed_at IS NULL AND a.published_at <= ?`
)

type summaryRow struct {
	ID                 string     `gorm:"column:id"`
	AuthorID           string     `gorm:"column:author_id"`
	Slug               string     `gorm:"column:slug"`
	Title              string     `gorm:"column:title"`
	Excerpt            string     `gorm:"column:excerpt"`
	CoverImageURL      string     `gorm:"column:cover_image_url"`
	Status             string     `gorm:"column:status"`
	PublishedAt        *time.Time `gorm:"column:published_at"`
	ScheduledAt        *time.Time `gorm:"column:scheduled_at"`
	TrashedAt          *time.Time `gorm:"column:trashed_at"`
	CreatedAt          time.Time  `gorm:"column:created_at"`
	UpdatedAt          time.Time  `gorm:"column:updated_at"`
	ReadingTimeMinutes int        `gorm:"column:reading_time_minutes"`
	Version            int64      `gorm:"column:version"`
	Featured           bool       `gorm:"column:featured"`
}

type detailRow struct {
	Summary         summaryRow        `gorm:"embedded"`
	BodyMarkdown    string            `gorm:"column:body_markdown"`
	BodyHTML        string            `gorm:"column:body_html"`
	MetaTitle       string            `gorm:"column:meta_title"`
	MetaDescription string            `gorm:"column:meta_description"`
	Staged          articleSEOColumns `gorm:"embedded"`
}

func (r summaryRow) view() articleapp.ArticleSummary {
	return articleapp.ArticleSummary{
		ID: r.ID, Slug: r.Slug, Title: r.Title, Excerpt: r.Excerpt, CoverImageURL: r.CoverImageURL,
		Status: article.Status(r.Status), Tags: []articleapp.TagRef{}, Author: articleapp.AuthorRef{ID: r.AuthorID},
		PublishedAt: utcOrNil(r.PublishedAt), ScheduledAt: utcOrNil(r.ScheduledAt), TrashedAt: utcOrNil(r.TrashedAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), ReadingTimeMinutes: r.ReadingTimeMinutes,
		Version: shared.Version(r.Version), Featured: r.Featured,
	}
}

// ListArticles answers one page of q, which the edge validated; see articleapp.ListQuery for the
// paging modes.
func (r *ArticleReadModel) ListArticles(ctx context.Context, q articleapp.ListQuery) (articleapp.Page, error) {
	page := articleapp.Page{Items: []articleapp.ArticleSummary{}, Limit: q.Limit, PageNumber: q.Page}
	if q.Page > 1 {
		release, err := r.db.lists.enter(ctx)
		if err != nil {
			return articleapp.Page{}, fmt.Errorf("article read model: list: %w", err)
		}
		defer release()
	}
	l, ok, err := r.newList(ctx, q, false)
	if err != nil {
		return articleapp.Page{}, err
	}
	if !ok {
		return page, nil
	}
	if q.Cursor != nil {
		if err := l.after(q.Cursor); err != nil {
			return articleapp.Page{}, fmt.Errorf("article read model: list: %w", err)
		}
	}
	offset := 0
	if q.Page > 0 {
		total := 0
		if q.Total != nil {
			total = *q.Total
		} else if total, err = r.count(ctx, l); err != nil {
			return articleapp.Page{}, err
		}
		page.Total, page.Pages = total, (total+q.Limit-1)/q.Limit
		offset = (q.Page - 1) * q.Limit
	}
	rows, err := r.rows(ctx, l, q.Limit+1, offset)
	if err != nil {
		return articleapp.Page{}, err
	}
	if len(rows) > q.Limit {
		rows, page.HasMore = rows[:q.Limit], true
	}
	if page.Items, err = r.summaries(ctx, rows); err != nil {
		return articleapp.Page{}, err
	}
	if page.HasMore && q.Page == 0 && q.Sort != articleapp.SortRelevance {
		next := articleapp.CursorAfter(q, page.Items[len(page.Items)-1])
		page.NextCursor = &next
	}
	return page, nil
}

// rows reads up to limit rows of l after skipping offset. An offset page is read in two steps: the
// ids of the page first, which the list's index answers alone, then the rows of those ids. In one
// query every row the offset skips would be read from the table too, to test trashed_at and to pick
// the page's columns: page 100 of 100 read 10,000 rows (through their bodies' overflow pages on
// SQLite) to answer 100. The two reads are not one snapshot; a page is not one anyway (a write
// between two pages shifts them), and an article gone between the reads is left out.
func (r *ArticleReadModel) rows(ctx context.Context, l *articleList, limit, offset int) ([]summaryRow, error) {
	var rows []summaryRow
	if offset == 0 {
		query, args := l.page(summaryColumns, limit, 0)
		if err := r.db.Conn(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("article read model: list: %w", err)
		}
		return rows, nil
	}
	var ids []string
	query, args := l.page(l.key.idColumn()+" AS id", limit, offset)
	if err := r.db.Conn(ctx).Raw(query, args...).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("article read model: list ids: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := r.db.Conn(ctx).Raw("SELECT "+summaryColumns+" FROM articles a WHERE a.id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("article read model: list: %w", err)
	}
	at := make(map[string]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(rows, func(a, b summaryRow) int { return at[a.ID] - at[b.ID] })
	return rows, nil
}

// CountArticles counts the articles q's filters select.
func (r *ArticleReadModel) CountArticles(ctx context.Context, q articleapp.ListQuery) (int, error) {
	release, err := r.db.lists.enter(ctx)
	if err != nil {
		return 0, fmt.Errorf("article read model: count: %w", err)
	}
	defer release()
	l, ok, err := r.newList(ctx, q, true)
	if err != nil || !ok {
		return 0, err
	}
	return r.count(ctx, l)
}

func (r *ArticleReadModel) count(ctx context.Context, l *articleList) (int, error) {
	total := 0
	query, args := l.count()
	if err := r.db.Conn(ctx).Raw(query, args...).Scan(&total).Error; err != nil {
		return 0, fmt.Errorf("article read model: count: %w", err)
	}
	return total, nil
}

// GetArticle returns any article with id, trashed ones included.
func (r *ArticleReadModel) GetArticle(ctx context.Context, id string) (articleapp.ArticleDetail, error) {
	if !wellFormedID(id) {
		return articleapp.ArticleDetail{}, article.ErrNotFound
	}
	return r.detail(ctx, adminDetailColumns, "a.id = ?", id)
}

// GetPublishedArticleBySlug returns the article with slug while the public may see it at now.
func (r *ArticleReadModel) GetPublishedArticleBySlug(ctx context.Context, slug string, now time.Time) (articleapp.ArticleDetail, error) {
	if !queryableText(slug, shared.MaxSlugLength) {
		return articleapp.ArticleDetail{}, article.ErrNotFound
	}
	return r.detail(ctx, detailColumns, "a.slug = ? AND "+publicArticle, slug, now.UTC())
}

func (r *ArticleReadModel) detail(ctx context.Context, columns, where string, args ...any) (articleapp.ArticleDetail, error) {
	var rows []detailRow
	query := "SELECT " + columns + " FROM articles a WHERE " + where
	if err := r.db.Conn(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
		return articleapp.ArticleDetail{}, fmt.Errorf("article read model: get: %w", err)
	}
	if len(rows) == 0 {
		return articleapp.ArticleDetail{}, article.ErrNotFound
	}
	summaries, err := r.summaries(ctx, []summaryRow{rows[0].Summary})
	if err != nil {
		return articleapp.ArticleDetail{}, err
	}
	row := rows[0]
	d := articleapp.ArticleDetail{
		ArticleSummary: summaries[0], BodyMarkdown: row.BodyMarkdown, BodyHTML: row.BodyHTML,
		MetaTitle: row.MetaTitle, MetaDescription: row.MetaDescription,
	}
	if err := r.addStaged(ctx, &d, row.Staged); err != nil {
		return articleapp.ArticleDetail{}, err
	}
	return d, nil
}

// summaries turns rows into views with their tags and authors, loaded for all rows at once.
func (r *ArticleReadModel) summaries(ctx context.Context, rows []summaryRow) ([]articleapp.ArticleSummary, error) {
	out := make([]articleapp.ArticleSummary, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids, authorIDs := make([]string, len(rows)), make([]string, 0, len(rows))
	seenAuthor := make(map[string]bool, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
		if !seenAuthor[row.AuthorID] {
			seenAuthor[row.AuthorID] = true
			authorIDs = append(authorIDs, row.AuthorID)
		}
	}
	var tags []struct {
		ArticleID string `gorm:"column:article_id"`
		ID        string `gorm:"column:id"`
		Slug      string `gorm:"column:slug"`
		Name      string `gorm:"column:name"`
	}
	err := r.db.Conn(ctx).Raw(`SELECT j.article_id, t.id, t.slug, t.name
		FROM article_tags j JOIN tags t ON t.id = j.tag_id
		WHERE j.article_id IN ? ORDER BY j.article_id, j.position`, ids).Scan(&tags).Error
	if err != nil {
		return nil, fmt.Errorf("article read model: load tags: %w", err)
	}
	var authors []struct {
		ID   string `gorm:"column:id"`
		Slug string `gorm:"column:slug"`
		Name string `gorm:"column:name"`
	}
	if err := r.db.Conn(ctx).Raw(`SELECT id, slug, name FROM users WHERE id IN ?`, authorIDs).Scan(&authors).Error; err != nil {
		return nil, fmt.Errorf("article read model: load authors: %w", err)
	}
	tagsOf := make(map[string][]articleapp.TagRef, len(rows))
	for _, t := range tags {
		tagsOf[t.ArticleID] = append(tagsOf[t.ArticleID], articleapp.TagRef{ID: t.ID, Slug: t.Slug, Name: t.Name})
	}
	authorOf := make(map[string]articleapp.AuthorRef, len(authors))
	for _, a := range authors {
		authorOf[a.ID] = articleapp.AuthorRef{ID: a.ID, Slug: a.Slug, Name: a.Name}
	}
	for i, row := range rows {
		out[i] = row.view()
		if t, ok := tagsOf[row.ID]; ok {
			out[i].Tags = t
		}
		if a, ok := authorOf[row.AuthorID]; ok {
			out[i].Author = a
		}
	}
	return out, nil
}

// queryableText reports whether s can be compared with a column of at most maxChars characters on
// either database: valid UTF-8, no NUL, not too long. Anything else matches no row, so callers skip
// the query instead of letting PostgreSQL fail on it.
func queryableText(s string, maxChars int) bool {
	return s != "" && len(s) <= utf8.UTFMax*maxChars && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
