package persistence

import "github.com/google/uuid"

// isUUID tells whether id can be a key at all: PostgreSQL rejects a malformed UUID with an error,
// which for a lookup means "not found", not "internal error".
func isUUID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}
