// Package article holds the use cases of articles and the read model that lists and shows them.
// Tags have their own service (application/tag); articles name them by slug on writes and show
// them as TagRefs.
package article

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// ReadModel answers the queries of the public delivery API and of the management lists. It is
// declared here, by its consumer, and implemented on the database; it reads what committed
// transactions wrote and changes nothing.
//
//   - ListArticles answers a Page of q, which it trusts (see ListQuery). In page mode it counts the
//     matching articles unless q.Total says how many there are.
//   - CountArticles counts the articles q's filters select (paging ignored).
//   - GetArticle returns any article, trashed ones included, or article.ErrNotFound.
//   - GetPublishedArticleBySlug returns the article only while it is published, dated at or before
//     now and not trashed; otherwise article.ErrNotFound.
//   - ArticleRefs names an author and tags in one read, the tags in the order of tagIDs (never
//     nil), leaving out the ones that do not exist; an unknown author is named by its id alone.
type ReadModel interface {
	ListArticles(ctx context.Context, q ListQuery) (Page, error)
	CountArticles(ctx context.Context, q ListQuery) (int, error)
	GetArticle(ctx context.Context, id string) (ArticleDetail, error)
	GetPublishedArticleBySlug(ctx context.Context, slug string, now time.Time) (ArticleDetail, error)
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

// Bounds of the article lists beyond the list kit's limit (application/listing).
const (
	// MaxPage bounds the page parameter; MaxPageRows bounds how deep offset paging reaches
	// (page × limit): a deeper page costs a scan of every row before it, so beyond it lists page by
	// cursor, which costs the same at any depth.
	MaxPage     = 10000
	MaxPageRows = 10000
	// MaxSearchBytes bounds the search text q.
	MaxSearchBytes = 500
)

// ListQuery asks for one page of articles. It is built and validated once, at the edge (the HTTP
// binding parses the query string into it: defaults filled in, every parameter checked, the cursor
// decoded for Sort); the service sets Visibility and Now; the read model trusts it.
//
// Paging is by keyset cursor (Cursor, never an offset) unless Page is set (1-based offset paging
// with a total). A search in relevance order has no cursor: its first page says HasMore, and the
// pages after it are asked for with Page; an explicit Sort with Q pages by cursor as usual.
type ListQuery struct {
	Visibility Visibility       // set by the service
	Now        time.Time        // set by the service: what "public" means for VisibilityPublic
	Statuses   []article.Status // admin: any of; empty means every status
	Trash      TrashFilter      // admin only
	TagSlugs   []string         // any of
	AuthorSlug string
	Q          string // full-text search over title, excerpt and body
	Sort       Sort
	Limit      int
	Cursor     *listing.Cursor
	Page       int
	Featured   bool // only featured articles
	Total      *int // page mode: the number of matching articles when the service knows it (cached)
}

// LatestQuery is the query of the default list's first page: the newest articles first. Callers other
// than the HTTP edge (tests, the CLI) start from it.
func LatestQuery() ListQuery {
	return ListQuery{Sort: SortPublishedDesc, Limit: listing.DefaultLimit}
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

// Order names the order of the article list of visibility v in sort s, which its cursors are bound
// to: a cursor continues only the list (public or management) and the sort it was made for.
func Order(v Visibility, s Sort) string {
	if v == VisibilityAdmin {
		return "admin-articles:" + string(s)
	}
	return "articles:" + string(s)
}

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
	return "", listing.InvalidParameter("sort", "must be one of "+names)
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
	Featured           bool
}

// ArticleDetail is one article with its body and meta fields: the live content, and for the
// management API the pending changes (see staged.go).
type ArticleDetail struct {
	ArticleSummary
	BodyMarkdown    string
	BodyHTML        string
	MetaTitle       string
	MetaDescription string
	SEO             article.SEO
	// Pending is nil without pending changes, and always on the public API.
	Pending            *PendingView
	ChangesScheduledAt *time.Time
}

// Page is one page of an article list.
type Page = listing.Page[ArticleSummary]
