package article

import (
	"time"

	"github.com/inkwell-cms/inkwell/application/listing"
)

// CursorAfter is the cursor that continues a list in sort after the item s: the item's key in that
// sort (a time, or the title) and its id.
func CursorAfter(sort Sort, s ArticleSummary) listing.Cursor {
	c := listing.Cursor{Order: sort.Order(), ID: s.ID}
	switch sort {
	case SortPublishedDesc, SortPublishedAsc:
		c.Time = copyTime(s.PublishedAt)
	case SortUpdatedDesc:
		c.Time = copyTime(&s.UpdatedAt)
	case SortCreatedDesc:
		c.Time = copyTime(&s.CreatedAt)
	case SortTitleAsc, SortTitleDesc:
		c.Text = s.Title
	}
	return c
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
