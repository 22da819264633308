package content

import (
	"errors"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// VersionConflict is the 412 carrying the version the client should reload.
func VersionConflict(current shared.Version) error {
	return shared.ErrVersionConflict.WithDetail("current_version", int64(current))
}

// WithCurrentVersion adds the current version, as current loads it, to a conflict the database
// found (a concurrent change won between our read and our write), so every 412 tells the client
// what to reload. Any other error, or a conflict that says it already, is returned as it is.
func WithCurrentVersion(err error, current func() (shared.Version, error)) error {
	var de *shared.Error
	if !errors.As(err, &de) || de.Code != shared.ErrVersionConflict.Code || de.Details["current_version"] != nil {
		return err
	}
	v, getErr := current()
	if getErr != nil {
		return err
	}
	return shared.ErrVersionConflict.WithDetail("current_version", int64(v)).WithCause(err)
}
