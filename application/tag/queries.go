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
//   - List answers q, which it trusts (see ListQuery), in ListOrder.
//   - GetBySlug and Get return one tag, or tag.ErrNotFound.
type ReadModel interface {
	List(ctx context.Context, q ListQuery) ([]TagView, error)
	GetBySlug(ctx context.Context, slug string, now time.Time) (TagView, error)
	Get(ctx context.Context, id string, now time.Time) (TagView, error)
}

// ListOrder names the order of every tag list, public and management: by name ignoring case
// (tag.NormalizeName, in code-point order), then id. Tag list cursors are bound to it.
const ListOrder = "tags"

// ListQuery asks for at most Limit tags in ListOrder after the cursor After (nil: from the first).
// The service builds it from a listing.Request; the read model trusts it, refusing only an id
// it cannot compare (listing.ErrInvalidCursor).
type ListQuery struct {
	Now   time.Time
	Limit int
	After *listing.Cursor // Text is the name key of the last tag seen, ID its id
}

// CursorAfter is the cursor that continues a tag list after v.
func CursorAfter(v TagView) listing.Cursor {
	return listing.Cursor{Order: ListOrder, Text: tag.NormalizeName(v.Name), ID: v.ID}
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
