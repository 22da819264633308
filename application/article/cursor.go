package article

import (
	"time"

	"github.com/inkwell-cms/inkwell/application/listing"
)

// CursorAfter is the cursor that continues the list of q after the item s: the item's key in q's
// sort (a time, or the title) and its id.
func CursorAfter(q ListQuery, s ArticleSummary) listing.Cursor {
	sort := q.Sort
	c := listing.Cursor{Order: Order(q.Visibility, sort), ID: s.ID}
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
