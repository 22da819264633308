// Package clock implements the application's Clock and IDGenerator ports.
package clock

import (
	"time"

	"github.com/google/uuid"
)

// System is the real clock, in UTC and truncated to microseconds so values survive a round trip
// through PostgreSQL and SQLite unchanged.
type System struct{}

// NewSystem returns the real clock.
func NewSystem() System { return System{} }

// Now returns the current UTC time.
func (System) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// UUIDv7 generates time-ordered UUIDs.
type UUIDv7 struct{}

// NewUUIDv7 returns the UUIDv7 generator.
func NewUUIDv7() UUIDv7 { return UUIDv7{} }

// NewID returns a new UUIDv7 string.
func (UUIDv7) NewID() string { return uuid.Must(uuid.NewV7()).String() }
