package tag

import (
	"context"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Repository stores tags. Implementations join the transaction carried in ctx.
//
// Get and GetBySlug return ErrNotFound when there is no such tag. GetBySlugs returns the tags that
// exist, in no particular order; the caller compares with what it asked for. Add and Save return
// shared.ErrSlugTaken or ErrNameTaken when another tag holds the slug or the name key (NameKey).
// Save and Delete succeed only while the stored version equals expected and fail otherwise with
// shared.VersionConflict carrying the stored version (ErrNotFound when the tag is gone); Save
// stores t.Version().
type Repository interface {
	Get(ctx context.Context, id string) (*Tag, error)
	GetBySlug(ctx context.Context, slug string) (*Tag, error)
	GetBySlugs(ctx context.Context, slugs []string) ([]*Tag, error)
	Add(ctx context.Context, t *Tag) error
	Save(ctx context.Context, t *Tag, expected shared.Version) error
	Delete(ctx context.Context, id string, expected shared.Version) error
}
