// Package cache implements the application's Cache port in process (one node) and on Redis (many).
package cache

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// Memory is a size-bounded in-process LRU with expiry. Entries all share the configured TTL (the
// library's model), which is what cache-aside needs; per-call TTLs shorter than it are not honoured.
type Memory struct {
	entries  *expirable.LRU[string, []byte]
	mu       sync.Mutex
	counters map[string]int64
}

// NewMemory returns an in-process cache holding at most maxEntries entries for ttl each.
func NewMemory(maxEntries int, ttl time.Duration) *Memory {
	return &Memory{entries: expirable.NewLRU[string, []byte](maxEntries, nil, ttl), counters: map[string]int64{}}
}

// Get returns a cached value.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	v, ok := m.entries.Get(key)
	return v, ok, nil
}

// Set caches a value.
func (m *Memory) Set(_ context.Context, key string, value []byte, _ time.Duration) error {
	m.entries.Add(key, value)
	return nil
}

// Delete removes entries.
func (m *Memory) Delete(_ context.Context, keys ...string) error {
	for _, k := range keys {
		m.entries.Remove(k)
	}
	return nil
}

// Incr increments a counter.
func (m *Memory) Incr(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counters[key]++
	return m.counters[key], nil
}

// Raise sets a counter to value unless it holds more.
func (m *Memory) Raise(_ context.Context, key string, value int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counters[key] = max(m.counters[key], value)
	return nil
}

// Counter reads a counter.
func (m *Memory) Counter(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counters[key], nil
}
