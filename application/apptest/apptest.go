// Package apptest holds the small fakes of the application ports that every use-case test needs:
// a clock the test moves, ids in creation order, and a journal of commits and cache writes kept by
// a transaction manager and a cache that wrap or stand in for the real ones (journal.go). The
// storage fakes are in apptest/memstore and pass the contract suites of apptest/contract, as the
// GORM repositories do.
package apptest

import (
	"fmt"
	"sync"
	"time"
)

// Clock is a Clock port the test sets and advances; safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// IDs is an IDGenerator handing out UUID-shaped ids that sort in creation order, like UUIDv7.
type IDs struct {
	mu sync.Mutex
	n  int
}

// NewID returns the next id.
func (g *IDs) NewID() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	return fmt.Sprintf("00000000-0000-7000-8000-%012d", g.n)
}
