package identity

import (
	"encoding/base64"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// List limits, as DESIGN.md sets them for every list.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// pageOf validates a list query and turns its opaque cursor back into the id to continue after. It
// asks the repository for one item more than the limit, to tell whether another page follows.
func pageOf(q ListQuery) (identity.Page, int, error) {
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return identity.Page{}, 0, shared.Validation(shared.FieldError{Field: "limit", Message: "must be 1 to 100"})
	}
	after := ""
	if q.Cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(raw) == 0 {
			return identity.Page{}, 0, identity.ErrInvalidCursor
		}
		after = string(raw)
	}
	return identity.Page{AfterID: after, Limit: limit + 1}, limit, nil
}

// pageFrom cuts the extra item off and makes the next cursor from the last item kept.
func pageFrom[E any, V any](items []E, limit int, id func(E) string, view func(E) V) Page[V] {
	out := Page[V]{Items: make([]V, 0, min(len(items), limit)), Limit: limit}
	if len(items) > limit {
		items = items[:limit]
		out.HasMore = true
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(id(items[len(items)-1])))
	}
	for _, it := range items {
		out.Items = append(out.Items, view(it))
	}
	return out
}
