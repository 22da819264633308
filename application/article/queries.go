// Package article holds the use cases of editorial content and the read model that lists and shows
// articles and tags.
package article

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// ReadModel answers the queries of the public delivery API and of the management lists. It is
// declared here, by its consumer, and implemented on the database; it reads what committed
// transactions wrote and changes nothing.
//
//   - ListArticles normalizes q itself (see ListQuery.Normalize) and answers a Page.
//   - GetArticle returns any article, trashed ones included, or article.ErrNotFound.
//   - GetPublishedArticleBySlug returns the article only while it is published, dated at or before
//     now and not trashed; otherwise article.ErrNotFound.
//   - ListTags, GetTagBySlug and GetTag count, per tag, the articles that are public at now;
//     the single-tag reads return tag.ErrNotFound.
//   - ArticleRefs names an author and tags in one read, the tags in the order of tagIDs (never
//     nil), leaving out the ones that do not exist; an unknown author is named by its id alone.
type ReadModel interface {
	ListArticles(ctx context.Context, q ListQuery) (Page, error)
	GetArticle(ctx context.Context, id string) (ArticleDetail, error)
	GetPublishedArticleBySlug(ctx context.Context, slug string, now time.Time) (ArticleDetail, error)
	ListTags(ctx context.Context, now time.Time) ([]TagView, error)
	GetTagBySlug(ctx context.Context, slug string, now time.Time) (TagView, error)
	GetTag(ctx context.Context, id string, now time.Time) (TagView, error)
	ArticleRefs(ctx context.Context, authorID string, tagIDs []string) (AuthorRef, []TagRef, error)
}

// Visibility says whose list it is.
type Visibility int

const (
	// VisibilityPublic shows only articles that are published, dated at or before ListQuery.Now
	// and not trashed. Statuses and Trash must be left empty.
	VisibilityPublic Visibility = iota
	// VisibilityAdmin shows articles in any status, as Statuses and Trash select them.
	VisibilityAdmin
)

// TrashFilter says what an admin list does with trashed articles.
type TrashFilter int

const (
	TrashExcluded TrashFilter = iota // the default: the trash is hidden
	TrashIncluded                    // trashed and untrashed alike
	TrashOnly                        // only the trash (status=trashed in the API)
)

// List limits, as DESIGN.md sets them for every list.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	// MaxPage bounds offset paging: deeper pages cost a scan of every row before them.
	MaxPage = 10000
	// MaxSearchBytes bounds the search text q.
	MaxSearchBytes = 500
)

// ListQuery asks for one page of articles. The zero values mean the defaults: limit 20, sort
// -published_at (relevance when Q is set), the first page in cursor mode.
//
// Paging is by keyset cursor (Cursor, never an offset) unless Page is set (1-based offset paging
// with a total). A search in relevance order has no cursor: its first page says HasMore, and the
// pages after it are asked for with Page; an explicit Sort with Q pages by cursor as usual.
type ListQuery struct {
	Visibility Visibility
	Now        time.Time        // required for VisibilityPublic
	Statuses   []article.Status // admin: any of; empty means every status
	Trash      TrashFilter      // admin only
	TagSlugs   []string         // any of
	AuthorSlug string
	Q          string // full-text search over title, excerpt and body
	Sort       Sort
	Limit      int
	Cursor     *Cursor
	Page       int
}

// codeInvalidParameter is the code of a list query the API cannot answer (the same code the HTTP
// binding uses for a malformed query parameter).
const codeInvalidParameter = "invalid_parameter"

func invalidParameter(param, message string) *shared.Error {
	e := shared.Malformed(codeInvalidParameter, fmt.Sprintf("query parameter %q %s", param, message))
	e.Fields = []shared.FieldError{{Field: param, Message: message}}
	return e
}

// Normalize fills in the defaults and checks q. Bad input is a shared.KindMalformed error with
// code invalid_parameter (or invalid_cursor) whose field names the query parameter.
func (q ListQuery) Normalize() (ListQuery, error) {
	admin := q.Visibility == VisibilityAdmin
	switch {
	case q.Visibility != VisibilityPublic && !admin:
		return q, fmt.Errorf("list articles: unknown visibility %d", q.Visibility)
	case !admin && q.Now.IsZero():
		return q, errors.New("list articles: a public list needs the current time")
	case !admin && (len(q.Statuses) > 0 || q.Trash != TrashExcluded):
		return q, invalidParameter("status", "is not accepted on the public API")
	case q.Trash < TrashExcluded || q.Trash > TrashOnly:
		return q, fmt.Errorf("list articles: unknown trash filter %d", q.Trash)
	}
	for _, s := range q.Statuses {
		if _, err := article.ParseStatus(string(s)); err != nil {
			return q, invalidParameter("status", "must be draft, scheduled, published, archived or trashed")
		}
	}
	if len(q.TagSlugs) > article.MaxTags {
		return q, invalidParameter("tag", fmt.Sprintf("may be given at most %d times", article.MaxTags))
	}
	q.Q = strings.TrimSpace(q.Q)
	if len(q.Q) > MaxSearchBytes || !utf8.ValidString(q.Q) || strings.ContainsRune(q.Q, 0) {
		return q, invalidParameter("q", fmt.Sprintf("must be text of at most %d bytes", MaxSearchBytes))
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return q, invalidParameter("limit", fmt.Sprintf("must be 1 to %d", MaxLimit))
	}
	if q.Page < 0 || q.Page > MaxPage {
		return q, invalidParameter("page", fmt.Sprintf("must be 1 to %d", MaxPage))
	}
	if q.Page > 0 && q.Cursor != nil {
		return q, invalidParameter("page", "cannot be combined with cursor")
	}
	switch {
	case q.Sort == "" && q.Q != "":
		q.Sort = SortRelevance
	case q.Sort == "":
		q.Sort = SortPublishedDesc
	case q.Sort == SortRelevance && q.Q == "":
		return q, invalidParameter("sort", "relevance needs a search (q)")
	case q.Sort != SortRelevance:
		if _, err := ParseSort(string(q.Sort), admin); err != nil {
			return q, err
		}
	}
	if q.Cursor != nil && q.Cursor.Sort != q.Sort {
		return q, ErrInvalidCursor
	}
	return q, nil
}

// Sort is the order of an article list; every order ends with the id as the tie-breaker.
type Sort string

// The sorts, named as the API's sort parameter names them.
const (
	SortPublishedDesc Sort = "-published_at" // the default; in admin lists undated articles come last
	SortPublishedAsc  Sort = "published_at"  // undated articles come last here too
	SortTitleAsc      Sort = "title"         // by code point, the same on every database
	SortTitleDesc     Sort = "-title"
	SortUpdatedDesc   Sort = "-updated_at" // admin lists only
	SortCreatedDesc   Sort = "-created_at" // admin lists only
	// SortRelevance is the order of a search without an explicit sort; the API has no name for it.
	SortRelevance Sort = "relevance"
)

var (
	publicSorts = []Sort{SortPublishedDesc, SortPublishedAsc, SortTitleAsc, SortTitleDesc}
	adminSorts  = []Sort{SortPublishedDesc, SortPublishedAsc, SortTitleAsc, SortTitleDesc, SortUpdatedDesc, SortCreatedDesc}
)

// ParseSort validates the sort parameter of a public list, or of an admin list when admin is set.
func ParseSort(s string, admin bool) (Sort, error) {
	sorts, names := publicSorts, "-published_at, published_at, title or -title"
	if admin {
		sorts, names = adminSorts, "-published_at, published_at, title, -title, -updated_at or -created_at"
	}
	for _, sort := range sorts {
		if string(sort) == s {
			return sort, nil
		}
	}
	return "", invalidParameter("sort", "must be one of "+names)
}

// TagRef names a tag inside an article view.
type TagRef struct {
	ID   string
	Slug string
	Name string
}

// AuthorRef names the author of an article.
type AuthorRef struct {
	ID   string
	Slug string
	Name string
}

// ArticleSummary is an article as lists show it: everything but the body and the meta fields.
type ArticleSummary struct {
	ID                 string
	Slug               string
	Title              string
	Excerpt            string
	CoverImageURL      string
	Status             article.Status
	Tags               []TagRef
	Author             AuthorRef
	PublishedAt        *time.Time
	ScheduledAt        *time.Time
	TrashedAt          *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ReadingTimeMinutes int
	Version            shared.Version
}

// ArticleDetail is one article with its body and meta fields.
type ArticleDetail struct {
	ArticleSummary
	BodyMarkdown    string
	BodyHTML        string
	MetaTitle       string
	MetaDescription string
}

// Page is one page of a list. NextCursor is set in cursor mode when HasMore; PageNumber, Total and
// Pages are set in page mode only.
type Page struct {
	Items      []ArticleSummary
	Limit      int
	HasMore    bool
	NextCursor *Cursor
	PageNumber int
	Total      int
	Pages      int
}

// TagView is a tag with the number of its articles the public can see.
type TagView struct {
	ID           string
	Slug         string
	Name         string
	Description  string
	ArticleCount int
	Version      shared.Version
	CreatedAt    time.Time
	UpdatedAt    time.Time
}
