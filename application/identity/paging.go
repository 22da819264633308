package identity

import (
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/identity"
)

// The orders of the identity lists, which their cursors are bound to: both by id (creation order).
const (
	UserOrder  = "users"
	TokenOrder = "tokens"
)

// pageOf asks the repository for the page of r, one item more than the limit to tell whether
// another page follows.
func pageOf(r listing.Request) identity.Page {
	return identity.Page{AfterID: r.AfterID(), Limit: r.Fetch()}
}

// pageFrom cuts the extra item off, makes the next cursor from the last item kept and maps the items.
func pageFrom[E any, V any](items []E, r listing.Request, order string, id func(E) string, view func(E) V) listing.Page[V] {
	return listing.Map(listing.CutByID(items, r, order, id), view)
}
