// Package shared holds the small vocabulary every bounded context speaks: typed errors with stable
// machine codes, and the version used for optimistic concurrency.
package shared

import (
	"errors"
	"fmt"
)

// Kind says what went wrong in terms a caller can act on. Kinds are named for what they mean; the
// transport (interfaces/http/problem) maps each to a status in one place.
type Kind int

const (
	KindInternal        Kind = iota // a bug, or a failure the caller cannot act on
	KindMalformed                   // the request cannot be read: bad syntax, unknown parameter
	KindInvalid                     // well-formed but breaks a rule
	KindNotFound                    // no such resource (or not visible to the caller)
	KindConflict                    // unique key taken, invalid state transition
	KindUnauthenticated             // no or bad credentials
	KindDenied                      // credentials fine, action not allowed
	KindStaleVersion                // the change was based on an older version
	KindVersionRequired             // the change does not say which version it is based on
	KindRateLimited                 // too many requests for now
	KindUnavailable                 // a dependency is down, try later
)

// FieldError names one invalid field of the input.
type FieldError struct {
	Field   string
	Message string
}

// Error is the domain error: a kind, a stable code that is public API (add, never rename), a message
// safe to show to a client, optional field errors and extra public details.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
	Details map[string]any
	cause   error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return e.Code + ": " + e.Message
}

// Unwrap exposes the cause for errors.Is/As.
func (e *Error) Unwrap() error { return e.cause }

// Is matches another *Error by code, so sentinel errors work with errors.Is even after wrapping.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) {
		return t.Code == e.Code
	}
	return false
}

// WithCause returns a copy of e that wraps cause (kept for logs, never shown to clients).
func (e *Error) WithCause(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// WithDetail returns a copy of e with one more public detail.
func (e *Error) WithDetail(key string, value any) *Error {
	c := *e
	c.Details = make(map[string]any, len(e.Details)+1)
	for k, v := range e.Details {
		c.Details[k] = v
	}
	c.Details[key] = value
	return &c
}

// WithMessage returns a copy of e with another client-facing message.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// New builds an error of a kind with a stable code.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// NotFound, Conflict, Malformed are shorthands for the common kinds.
func NotFound(code, message string) *Error { return New(KindNotFound, code, message) }
func Conflict(code, message string) *Error { return New(KindConflict, code, message) }
func Malformed(code, message string) *Error {
	return New(KindMalformed, code, message)
}

// Validation builds a KindInvalid error carrying field errors.
func Validation(fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: "validation_failed", Message: "the input breaks one or more rules", Fields: fields}
}

// Validator collects field errors and returns them as one validation error.
type Validator struct{ fields []FieldError }

// Check records message for field when ok is false.
func (v *Validator) Check(ok bool, field, message string) {
	if !ok {
		v.fields = append(v.fields, FieldError{Field: field, Message: message})
	}
}

// Add records a field error.
func (v *Validator) Add(field, message string) {
	v.fields = append(v.fields, FieldError{Field: field, Message: message})
}

// Err returns nil when every check passed.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return Validation(v.fields...)
}

// Common errors shared by every context.
var (
	ErrUnauthorized         = New(KindUnauthenticated, "unauthorized", "a valid API token is required")
	ErrForbidden            = New(KindDenied, "forbidden", "this token may not do that")
	ErrPreconditionRequired = New(KindVersionRequired, "precondition_required", "this change needs an If-Match header with the current ETag")
	ErrVersionConflict      = New(KindStaleVersion, "version_conflict", "the resource was changed by someone else; reload it and try again")
	ErrInvalidTransition    = Conflict("invalid_transition", "that workflow action is not allowed from the current status")
	// ErrDatabaseUnavailable is a refused or dropped database connection (a restart, a failover):
	// nothing the caller sent was wrong and the same request should work shortly.
	ErrDatabaseUnavailable = New(KindUnavailable, "database_unavailable", "the database is not reachable at the moment; retry shortly")
)

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
