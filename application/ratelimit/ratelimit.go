// Package ratelimit declares the token-bucket limiter port; infrastructure/ratelimit implements it in
// process and on Redis, and the HTTP middleware applies it per client IP and per API token.
package ratelimit

import (
	"context"
	"time"
)

// Quota is a token bucket: RPS tokens a second, Burst at most. RPS 0 disables limiting.
type Quota struct {
	RPS   float64
	Burst int
}

// Decision is a limiter's answer for one request.
type Decision struct {
	Allowed    bool
	Remaining  int
	RetryAfter time.Duration // when not allowed: until one token is back
	ResetAfter time.Duration // until the bucket is full again
}

// Limiter takes one token for key under quota. An error means it cannot decide (its store is slow
// or down); callers let the request through (fail open) and leave logging and counting the outage
// to the limiter, which sees it once rather than once per request.
type Limiter interface {
	Take(ctx context.Context, key string, q Quota) (Decision, error)
}
