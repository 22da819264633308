// Package breaker guards calls to a shared backend (Redis) with a short timeout per call and a
// circuit breaker (sony/gobreaker): once the backend has failed, calls fail at once instead of each
// waiting for its timeout, and after a cool-down one call probes it and closes the breaker again.
// The cache and the rate limiter decorate their Redis adapters with it; both degrade (read the
// database, let the request through) when a call fails, so failing fast is what keeps them fast.
package breaker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sony/gobreaker/v2"
	"go.uber.org/zap"
)

// ErrOpen is returned, wrapped, for a call not attempted because the breaker is open (or half-open
// with its probe already in flight): the backend is known to be unavailable.
var ErrOpen = errors.New("circuit breaker open: backend unavailable, call not attempted")

// State is the breaker's state as metrics and logs show it.
type State string

const (
	Closed   State = "closed"
	HalfOpen State = "half-open"
	Open     State = "open"
)

// Failure reasons reported to Metrics.
const (
	ReasonTimeout = "timeout" // the call took longer than the timeout
	ReasonOpen    = "open"    // not attempted: the breaker is open
	ReasonError   = "error"   // the backend answered an error or the connection failed
)

// Metrics receives what one breaker sees; infrastructure/metrics implements it with Prometheus.
type Metrics interface {
	StateChanged(to State)
	CallFailed(operation, reason string)
}

// Settings tune a breaker.
type Settings struct {
	Timeout  time.Duration // of each call
	Failures int           // consecutive failures that open the breaker
	Cooldown time.Duration // open, before one call probes the backend again
	// Degraded says what callers do while the backend is unavailable, for the log line an operator
	// reads when the breaker opens (e.g. "public reads are served from the database").
	Degraded string
}

// Breaker guards one backend.
type Breaker struct {
	name    string
	timeout time.Duration
	cb      *gobreaker.CircuitBreaker[struct{}]
	metrics Metrics
}

// New returns the breaker of the backend called name ("cache", "ratelimit"). It logs each time it
// opens (warn) and closes (info), not per call; the probes in between are logged at debug.
func New(name string, s Settings, m Metrics, log *zap.Logger) *Breaker {
	log = log.Named("breaker").With(zap.String("breaker", name))
	b := &Breaker{name: name, timeout: s.Timeout, metrics: m}
	b.cb = gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        name,
		MaxRequests: 1,
		Timeout:     s.Cooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= uint32(max(s.Failures, 1)) },
		IsExcluded:  func(err error) bool { return errors.Is(err, errCallerGone) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			state := stateOf(to)
			m.StateChanged(state)
			switch {
			case to == gobreaker.StateOpen && from == gobreaker.StateClosed:
				log.Warn(name+" unavailable: circuit breaker opened, calls fail fast",
					zap.String("degraded", s.Degraded), zap.Duration("probe_after", s.Cooldown))
			case to == gobreaker.StateClosed:
				log.Info(name + " recovered: circuit breaker closed")
			default:
				log.Debug("circuit breaker "+string(state), zap.String("from", stateOf(from).String()))
			}
		},
	})
	m.StateChanged(Closed)
	return b
}

// State is the breaker's current state.
func (b *Breaker) State() State { return stateOf(b.cb.State()) }

// errCallerGone marks a call that failed because its caller gave up (a client closed the request):
// that says nothing about the backend, so the breaker ignores it.
var errCallerGone = errors.New("caller gone")

// Do runs fn with the breaker's timeout, unless the breaker is open. operation names the call in
// errors and metrics ("get", "incr"). The error is wrapped with the backend's name and operation.
func (b *Breaker) Do(ctx context.Context, operation string, fn func(ctx context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s %s: %w", b.name, operation, err)
	}
	callCtx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	_, err := b.cb.Execute(func() (struct{}, error) {
		err := fn(callCtx)
		if err != nil && ctx.Err() != nil {
			return struct{}{}, fmt.Errorf("%w: %w", errCallerGone, err)
		}
		return struct{}{}, err
	})
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		b.metrics.CallFailed(operation, ReasonOpen)
		return fmt.Errorf("%s %s: %w", b.name, operation, ErrOpen)
	case errors.Is(err, errCallerGone):
		return fmt.Errorf("%s %s: %w", b.name, operation, err)
	case errors.Is(callCtx.Err(), context.DeadlineExceeded):
		b.metrics.CallFailed(operation, ReasonTimeout)
		return fmt.Errorf("%s %s: no answer within %s: %w", b.name, operation, b.timeout, err)
	default:
		b.metrics.CallFailed(operation, ReasonError)
		return fmt.Errorf("%s %s: %w", b.name, operation, err)
	}
}

func stateOf(s gobreaker.State) State {
	switch s {
	case gobreaker.StateOpen:
		return Open
	case gobreaker.StateHalfOpen:
		return HalfOpen
	default:
		return Closed
	}
}

// String is the state's name.
func (s State) String() string { return string(s) }
