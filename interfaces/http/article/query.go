package articlehttp

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
	"github.com/inkwell-cms/inkwell/interfaces/http/paging"
)

// The query parameters of the article lists.
var (
	publicListParams = []string{"tag", "author", "q", "sort", "limit", "cursor", "page", "fields", "featured"}
	adminListParams  = append(append([]string{}, publicListParams...), "status")
	repeatable       = map[string]bool{"tag": true, "status": true}
)

// statusTrashed is the status filter that selects the trash (being trashed is not a workflow status).
const statusTrashed = "trashed"

// ListRequest is a parsed list query string: the application query and the fields to answer.
type ListRequest struct {
	Query  articleapp.ListQuery
	Fields Fields
}

// ParseListQuery reads the query string of GET /articles (admin: GET /admin/articles, which also
// takes status) into the application's query: this is the one place its rules live. Defaults are
// filled in (limit 20, sort -published_at, or relevance for a search) and every error is a 400-kind
// *shared.Error whose field names the parameter: unknown parameters, a single-valued parameter given
// twice, a bad limit, page or sort, page with cursor, a cursor this API did not make for this sort,
// a search too long, too many tags, an unknown field. The service sets visibility and time.
func ParseListQuery(values url.Values, admin bool) (ListRequest, error) {
	allowed := publicListParams
	if admin {
		allowed = adminListParams
	}
	if err := bind.AllowParams(values, allowed, repeatable); err != nil {
		return ListRequest{}, err
	}
	var q articleapp.ListQuery
	var err error
	if q.TagSlugs, err = nonEmpty(values, "tag"); err != nil {
		return ListRequest{}, err
	}
	if len(q.TagSlugs) > article.MaxTags {
		return ListRequest{}, invalid("tag", fmt.Sprintf("may be given at most %d times", article.MaxTags))
	}
	q.AuthorSlug = values.Get("author")
	if q.Featured, err = featured(values); err != nil {
		return ListRequest{}, err
	}
	if q.Q, err = search(values); err != nil {
		return ListRequest{}, err
	}
	if admin {
		if q.Statuses, q.Trash, err = parseStatuses(values); err != nil {
			return ListRequest{}, err
		}
	}
	if q.Page, err = paging.Int(values, "page", 1, articleapp.MaxPage); err != nil {
		return ListRequest{}, err
	}
	if q.Sort, err = sortOf(values, q.Q, admin); err != nil {
		return ListRequest{}, err
	}
	var r listing.Request
	visibility := articleapp.VisibilityPublic
	if admin {
		visibility = articleapp.VisibilityAdmin
	}
	if r, err = paging.Read(values, articleapp.Order(visibility, q.Sort)); err != nil {
		return ListRequest{}, err
	}
	q.Limit, q.Cursor = r.Limit, r.After
	if q.Page > 0 && q.Cursor != nil {
		return ListRequest{}, invalid("page", "cannot be combined with cursor")
	}
	if q.Page*q.Limit > articleapp.MaxPageRows {
		return ListRequest{}, invalid("page", fmt.Sprintf(
			"reaches too deep: page × limit must be at most %d rows; page deeper with cursor (meta.next_cursor of a list without page)", articleapp.MaxPageRows))
	}
	var fields Fields
	if raw, ok := values["fields"]; ok {
		if fields, err = ParseFields(raw[0], admin); err != nil {
			return ListRequest{}, err
		}
	}
	return ListRequest{Query: q, Fields: fields}, nil
}

// featured reads featured: true lists featured articles only; it takes no other value (leave it
// out to list every article).
func featured(values url.Values) (bool, error) {
	vs, ok := values["featured"]
	if !ok {
		return false, nil
	}
	if vs[0] != "true" {
		return false, invalid("featured", "must be true (leave it out to list every article)")
	}
	return true, nil
}

// search reads q: blank is no search; it is text of at most MaxSearchBytes, so either database can
// take it as it is.
func search(values url.Values) (string, error) {
	q := strings.TrimSpace(values.Get("q"))
	if len(q) > articleapp.MaxSearchBytes || !utf8.ValidString(q) || strings.ContainsRune(q, 0) {
		return "", invalid("q", fmt.Sprintf("must be text of at most %d bytes", articleapp.MaxSearchBytes))
	}
	return q, nil
}

// sortOf reads sort: -published_at by default, relevance for a search without one (relevance has no
// name in the API, so it cannot be asked for).
func sortOf(values url.Values, q string, admin bool) (articleapp.Sort, error) {
	raw, ok := values["sort"]
	switch {
	case ok:
		return articleapp.ParseSort(raw[0], admin)
	case q != "":
		return articleapp.SortRelevance, nil
	default:
		return articleapp.SortPublishedDesc, nil
	}
}

// parseStatuses maps the admin status filter: workflow statuses select by status, "trashed" selects
// the trash (with other statuses: trashed articles of those statuses).
func parseStatuses(values url.Values) ([]article.Status, articleapp.TrashFilter, error) {
	names, err := nonEmpty(values, "status")
	if err != nil {
		return nil, articleapp.TrashExcluded, err
	}
	trash := articleapp.TrashExcluded
	var statuses []article.Status
	for _, n := range names {
		if n == statusTrashed {
			trash = articleapp.TrashOnly
			continue
		}
		s, err := article.ParseStatus(n)
		if err != nil {
			return nil, trash, invalid("status", "must be draft, scheduled, published, archived or trashed")
		}
		statuses = append(statuses, s)
	}
	return statuses, trash, nil
}

func nonEmpty(values url.Values, name string) ([]string, error) {
	vs := values[name]
	for _, v := range vs {
		if strings.TrimSpace(v) == "" {
			return nil, invalid(name, "must not be empty")
		}
	}
	return vs, nil
}

func invalid(param, message string) *shared.Error { return listing.InvalidParameter(param, message) }
