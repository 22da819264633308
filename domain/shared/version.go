package shared

// Version counts the changes of an aggregate; it starts at 1 and guards optimistic concurrency.
type Version int64

// VersionConflict is ErrVersionConflict carrying the version the client should reload, which the
// 412 problem shows as current_version. Repositories answer it when a guarded write finds the row
// at another version, so callers never read the version again themselves.
func VersionConflict(current Version) *Error {
	return ErrVersionConflict.WithDetail("current_version", int64(current))
}
