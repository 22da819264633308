package articlehttp

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// The query parameters of the article lists.
var (
	publicListParams = []string{"tag", "author", "q", "sort", "limit", "cursor", "page", "fields"}
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
// takes status). Every error is a 400-kind *shared.Error whose field names the parameter: unknown
// parameters, a single-valued parameter given twice, a limit outside 1–100, a page below 1, a bogus
// sort, a cursor this API did not make, an unknown field. The returned query is normalized except
// for Now, which the service sets for public lists.
func ParseListQuery(values url.Values, admin bool) (ListRequest, error) {
	allowed := publicListParams
	q := articleapp.ListQuery{Visibility: articleapp.VisibilityPublic}
	if admin {
		allowed, q.Visibility = adminListParams, articleapp.VisibilityAdmin
	}
	for name, vs := range values {
		if !contains(allowed, name) {
			return ListRequest{}, paramError(bind.CodeUnknownParameter, name,
				fmt.Sprintf("unknown query parameter %q; this endpoint accepts %s", name, strings.Join(allowed, ", ")),
				"is not a parameter of this endpoint")
		}
		if len(vs) > 1 && !repeatable[name] {
			return ListRequest{}, invalid(name, "may be given only once")
		}
	}
	var err error
	if q.TagSlugs, err = nonEmpty(values, "tag"); err != nil {
		return ListRequest{}, err
	}
	q.AuthorSlug, q.Q = values.Get("author"), values.Get("q")
	if admin {
		if q.Statuses, q.Trash, err = parseStatuses(values); err != nil {
			return ListRequest{}, err
		}
	}
	if q.Limit, err = intParam(values, "limit", 1, articleapp.MaxLimit); err != nil {
		return ListRequest{}, err
	}
	if q.Page, err = intParam(values, "page", 1, articleapp.MaxPage); err != nil {
		return ListRequest{}, err
	}
	if s, ok := values["sort"]; ok {
		if q.Sort, err = articleapp.ParseSort(s[0], admin); err != nil {
			return ListRequest{}, err
		}
	}
	if c := values.Get("cursor"); c != "" {
		if q.Cursor, err = articleapp.DecodeCursor(c); err != nil {
			return ListRequest{}, err
		}
	}
	var fields Fields
	if raw, ok := values["fields"]; ok {
		if fields, err = ParseFields(raw[0], admin); err != nil {
			return ListRequest{}, err
		}
	}
	// Normalize checks the combinations (page with cursor, a cursor of another sort, q's length) and
	// fills in the defaults; a public list needs a time, which only matters to the read model.
	check := q
	if !admin {
		check.Now = time.Unix(0, 0)
	}
	normalized, err := check.Normalize()
	if err != nil {
		return ListRequest{}, err
	}
	normalized.Now = time.Time{}
	return ListRequest{Query: normalized, Fields: fields}, nil
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

// intParam reads an optional whole number in [lowest, highest]; absent is 0 (the default).
func intParam(values url.Values, name string, lowest, highest int) (int, error) {
	vs, ok := values[name]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < lowest || n > highest {
		return 0, invalid(name, fmt.Sprintf("must be a whole number from %d to %d", lowest, highest))
	}
	return n, nil
}

func invalid(param, message string) *shared.Error {
	return paramError(bind.CodeInvalidParameter, param, fmt.Sprintf("query parameter %q %s", param, message), message)
}

// paramError is a 400 whose field error names the query parameter, so clients can point at it.
func paramError(code, param, detail, message string) *shared.Error {
	e := shared.Malformed(code, detail)
	e.Fields = []shared.FieldError{{Field: param, Message: message}}
	return e
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
