package cache

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
)

// Guarded decorates a shared cache with a timeout per call and a circuit breaker: while the backend
// is slow or down every call fails within one timeout, then at once, and cache-aside falls back to
// the database. It holds no state of its own besides the breaker.
type Guarded struct {
	next    application.Cache
	breaker *breaker.Breaker
}

// NewGuarded guards next with b.
func NewGuarded(next application.Cache, b *breaker.Breaker) *Guarded {
	return &Guarded{next: next, breaker: b}
}

// Get returns a cached value.
func (g *Guarded) Get(ctx context.Context, key string) (v []byte, ok bool, err error) {
	err = g.breaker.Do(ctx, "get", func(ctx context.Context) error {
		v, ok, err = g.next.Get(ctx, key)
		return err
	})
	return v, ok, err
}

// Set caches a value.
func (g *Guarded) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return g.breaker.Do(ctx, "set", func(ctx context.Context) error { return g.next.Set(ctx, key, value, ttl) })
}

// Delete removes entries.
func (g *Guarded) Delete(ctx context.Context, keys ...string) error {
	return g.breaker.Do(ctx, "delete", func(ctx context.Context) error { return g.next.Delete(ctx, keys...) })
}

// Incr increments a counter.
func (g *Guarded) Incr(ctx context.Context, key string) (n int64, err error) {
	err = g.breaker.Do(ctx, "incr", func(ctx context.Context) error {
		n, err = g.next.Incr(ctx, key)
		return err
	})
	return n, err
}

// Raise raises a counter.
func (g *Guarded) Raise(ctx context.Context, key string, value int64) error {
	return g.breaker.Do(ctx, "raise", func(ctx context.Context) error { return g.next.Raise(ctx, key, value) })
}

// Counter reads a counter.
func (g *Guarded) Counter(ctx context.Context, key string) (n int64, err error) {
	err = g.breaker.Do(ctx, "counter", func(ctx context.Context) error {
		n, err = g.next.Counter(ctx, key)
		return err
	})
	return n, err
}
