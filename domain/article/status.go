package article

import "github.com/inkwell-cms/inkwell/domain/shared"

// Status is where an article stands in the editorial workflow. Being in the trash is not a status: a
// trashed article keeps its status so that restoring it brings it back as it was.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusDraft, StatusScheduled, StatusPublished, StatusArchived}

// ErrUnknownStatus is returned for a status name that does not exist (e.g. a list filter).
var ErrUnknownStatus = shared.Validation(shared.FieldError{Field: "status", Message: "must be one of draft, scheduled, published, archived"})

// ParseStatus validates a status name.
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", ErrUnknownStatus
}
