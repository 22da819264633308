package identity

import "github.com/inkwell-cms/inkwell/domain/shared"

// Stable error codes of the identity context (public API: add, never rename).
var (
	ErrUserNotFound  = shared.NotFound("user_not_found", "no user has that id")
	ErrEmailTaken    = shared.Conflict("email_taken", "another user already has that email address")
	ErrSlugTaken     = shared.Conflict("slug_taken", "another user already has that slug")
	ErrTokenNotFound = shared.NotFound("token_not_found", "no API token has that id")
	// ErrTooManyTokens refuses a token beyond the per-user cap of active ones: minting tokens must not
	// multiply what one user may do (rate limits are per user, but a cap also bounds what leaks).
	ErrTooManyTokens = shared.New(shared.KindInvalid, "too_many_tokens",
		"the user already has the most active API tokens allowed; revoke one (or let one expire) first")
	// ErrInvalidToken is a 401: the bearer token is malformed, unknown, revoked or expired, or its user
	// is disabled. The message says which, which is safe: only the holder of the secret can see it.
	ErrInvalidToken = shared.New(shared.KindUnauthenticated, "invalid_token", "the API token is not valid")
)
