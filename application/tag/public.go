package tag

import (
	"context"
	"strconv"

	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/application/listing"
)

// PublicTags returns one page of tags with their counts of public articles, read through the cache.
// Each page is its own entry: the key holds the limit and the cursor.
func (s *Service) PublicTags(ctx context.Context, r listing.Request) (listing.Page[TagView], error) {
	key := "list:" + strconv.Itoa(r.Limit) + ":"
	if r.After != nil {
		key += r.After.Encode()
	}
	page, err := cacheaside.Load(ctx, s.cache, content.NSTags, key, func(ctx context.Context) (listing.Page[TagView], error) {
		return s.page(ctx, r, PublicOrder)
	})
	return page, wrap("public tags", err)
}

// PublicTag returns the tag with slug, read through the cache.
func (s *Service) PublicTag(ctx context.Context, slug string) (TagView, error) {
	t, err := cacheaside.Load(ctx, s.cache, content.NSTags, "slug:"+slug, func(ctx context.Context) (TagView, error) {
		return s.reads.GetBySlug(ctx, slug, s.clock.Now())
	})
	return t, wrap("public tag "+slug, err)
}
