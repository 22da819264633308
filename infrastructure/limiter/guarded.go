package limiter

import (
	"context"

	"github.com/inkwell-cms/inkwell/application/ratelimit"
	"github.com/inkwell-cms/inkwell/infrastructure/breaker"
)

// Guarded decorates the shared limiter with a timeout per call and a circuit breaker, so a slow or
// dead Redis answers "cannot decide" within one timeout, then at once; the middleware fails open
// on that answer (the request is allowed). The breaker logs its state changes and the metrics count
// every failed call, so nothing is logged per request.
type Guarded struct {
	next    ratelimit.Limiter
	breaker *breaker.Breaker
}

// NewGuarded guards next with b.
func NewGuarded(next ratelimit.Limiter, b *breaker.Breaker) *Guarded {
	return &Guarded{next: next, breaker: b}
}

// Take takes a token from key's bucket.
func (g *Guarded) Take(ctx context.Context, key string, q ratelimit.Quota) (d ratelimit.Decision, err error) {
	err = g.breaker.Do(ctx, "take", func(ctx context.Context) error {
		d, err = g.next.Take(ctx, key, q)
		return err
	})
	return d, err
}
