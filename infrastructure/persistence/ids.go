package persistence

import "github.com/google/uuid"

// wellFormedID reports whether s can be a row id (a UUID in its canonical 36-character form).
// PostgreSQL refuses a malformed UUID with an error, so ids that come from outside are checked
// first and a malformed one is simply not found, on both dialects alike.
func wellFormedID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
