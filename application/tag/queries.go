// Package tag (imported as tagapp) holds the use cases of tags: the management API (create, read,
// change and delete tags, each change with its event in one transaction) and the public tag reads
// through the cache, and the read model port they are answered from.
package tag

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// ReadModel answers the tag queries of the public and the management API. It is declared here, by
// its consumer, and implemented on the database; every answer counts, per tag, the articles that
// are public at now.
//
//   - List answers q, which it trusts (see ListQuery), by name ignoring case, then id.
//   - GetBySlug and Get return one tag, or tag.ErrNotFound.
type ReadModel interface {
	List(ctx context.Context, q ListQuery) ([]TagView, error)
	GetBySlug(ctx context.Context, slug string, now time.Time) (TagView, error)
	Get(ctx context.Context, id string, now time.Time) (TagView, error)
}

// The tag lists, public and management, are ordered by name ignoring case (tag.NormalizeName, in
// code-point order), then id. Each list's cursors are bound to its own order name, so a cursor of
// one list does not continue the other.
const (
	PublicOrder = "tags"
	AdminOrder  = "admin-tags"
)

// ListQuery asks for at most Limit tags by name after the cursor After (nil: from the first).
// The service builds it from a listing.Request; the read model trusts it, refusing only an id
// it cannot compare (listing.ErrInvalidCursor).
type ListQuery struct {
	Now   time.Time
	Limit int
	After *listing.Cursor // Text is the name key of the last tag seen, ID its id
}

// CursorAfter returns the function that makes the cursor continuing the tag list of order after v.
func CursorAfter(order string) func(v TagView) listing.Cursor {
	return func(v TagView) listing.Cursor {
		return listing.Cursor{Order: order, Text: tag.NormalizeName(v.Name), ID: v.ID}
	}
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
