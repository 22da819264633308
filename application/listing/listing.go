// Package listing is the one home of the list conventions every list of the API follows, public
// and management alike: the limits, the bad-parameter and bad-cursor errors, the opaque cursor and
// the page a list answers. The HTTP edge parses a list's query into a Request once; services add
// visibility and the clock; read models and repositories trust what they are given.
package listing

import (
	"fmt"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Limits of every list, as DESIGN.md sets them.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Stable codes of a list query the API cannot answer.
const (
	CodeInvalidParameter = "invalid_parameter"
	CodeInvalidCursor    = "invalid_cursor"
)

// ErrInvalidCursor refuses a cursor this API did not hand out for this list and sort.
var ErrInvalidCursor = &shared.Error{
	Kind:    shared.KindMalformed,
	Code:    CodeInvalidCursor,
	Message: "the cursor is not one this API returned for this list and sort; start again without it",
	Fields:  []shared.FieldError{{Field: "cursor", Message: "is not a cursor this API returned for this list and sort"}},
}

// InvalidParameter refuses a query parameter; its field error names the parameter so clients can
// point at it.
func InvalidParameter(param, message string) *shared.Error {
	e := shared.Malformed(CodeInvalidParameter, fmt.Sprintf("query parameter %q %s", param, message))
	e.Fields = []shared.FieldError{{Field: param, Message: message}}
	return e
}

// ErrLimitOutOfRange is the one answer to a limit outside 1 to MaxLimit, on every list.
var ErrLimitOutOfRange = InvalidParameter("limit", fmt.Sprintf("must be a whole number from 1 to %d", MaxLimit))

// Request asks for one page in keyset order: at most Limit items after the cursor After (nil: from
// the start). It is made valid by the HTTP edge (Limit in 1 to MaxLimit, After of the list's order).
type Request struct {
	Limit int
	After *Cursor
}

// FirstPage is the request of a list's first page with the default limit.
func FirstPage() Request { return Request{Limit: DefaultLimit} }

// Fetch is how many items to ask the store for: one more than the limit tells whether a page follows.
func (r Request) Fetch() int { return r.Limit + 1 }

// Page is one page of a list. NextCursor is set in cursor mode when HasMore; PageNumber, Total and
// Pages are set in page mode only (offset paging, which only article lists offer).
type Page[T any] struct {
	Items      []T
	Limit      int
	HasMore    bool
	NextCursor *Cursor
	PageNumber int
	Total      int
	Pages      int
}

// Cut makes the page of r from items fetched with r.Fetch(): it drops the extra item and makes the
// next cursor from the last item kept.
func Cut[T any](items []T, r Request, after func(T) Cursor) Page[T] {
	p := Page[T]{Items: items, Limit: r.Limit}
	if len(items) > r.Limit {
		p.Items, p.HasMore = items[:r.Limit], true
		c := after(p.Items[r.Limit-1])
		p.NextCursor = &c
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}

// Map converts the items of a page, keeping its paging.
func Map[T, U any](p Page[T], f func(T) U) Page[U] {
	out := Page[U]{Items: make([]U, len(p.Items)), Limit: p.Limit, HasMore: p.HasMore,
		NextCursor: p.NextCursor, PageNumber: p.PageNumber, Total: p.Total, Pages: p.Pages}
	for i, it := range p.Items {
		out.Items[i] = f(it)
	}
	return out
}

// AfterID is the id the page continues after, for lists ordered by id alone ("" on the first page).
func (r Request) AfterID() string {
	if r.After == nil {
		return ""
	}
	return r.After.ID
}

// CutByID is Cut for a list ordered by id alone (ids are UUIDv7, so that is creation order).
func CutByID[T any](items []T, r Request, order string, id func(T) string) Page[T] {
	return Cut(items, r, func(it T) Cursor { return Cursor{Order: order, ID: id(it)} })
}
