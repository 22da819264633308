package identity

import (
	"crypto/sha256"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// MaxTokenNameLength bounds a token's label.
const MaxTokenNameLength = 100

// APIToken lets a program act as its user. Only the SHA-256 hash of the secret is kept; the prefix
// (the first characters of the secret) lets a person recognise a token in a list without revealing it.
type APIToken struct {
	id         string
	userID     string
	name       string
	prefix     string
	hash       []byte
	readOnly   bool
	expiresAt  *time.Time
	lastUsedAt *time.Time
	revokedAt  *time.Time
	createdAt  time.Time
}

// NewTokenParams are the inputs of a new token. ExpiresAt nil means the token does not expire.
type NewTokenParams struct {
	ID        string
	UserID    string
	Name      string
	Prefix    string
	Hash      []byte
	ReadOnly  bool
	ExpiresAt *time.Time
	Now       time.Time
}

// NewAPIToken validates the inputs and returns a new, usable token.
func NewAPIToken(p NewTokenParams) (*APIToken, error) {
	var v shared.Validator
	name := strings.TrimSpace(p.Name)
	n := utf8.RuneCountInString(name)
	v.Check(n >= 1 && n <= MaxTokenNameLength, "name", "must be 1 to 100 characters")
	v.Check(p.UserID != "", "user_id", "is required")
	v.Check(p.ExpiresAt == nil || p.ExpiresAt.After(p.Now), "expires_at", "must be in the future")
	if err := v.Err(); err != nil {
		return nil, err
	}
	// A wrong hash or prefix is a programming error in the caller, not bad user input.
	if len(p.Hash) != sha256.Size || p.Prefix == "" {
		return nil, shared.New(shared.KindInternal, "invalid_token_secret", "the token secret was not generated correctly")
	}
	return &APIToken{
		id: p.ID, userID: p.UserID, name: name, prefix: p.Prefix, hash: append([]byte(nil), p.Hash...),
		readOnly: p.ReadOnly, expiresAt: copyTime(p.ExpiresAt), createdAt: p.Now,
	}, nil
}

// TokenState is a stored token, for RestoreAPIToken.
type TokenState struct {
	ID, UserID, Name, Prefix         string
	Hash                             []byte
	ReadOnly                         bool
	ExpiresAt, LastUsedAt, RevokedAt *time.Time
	CreatedAt                        time.Time
}

// RestoreAPIToken rebuilds a token from storage without re-running the creation rules.
func RestoreAPIToken(s TokenState) *APIToken {
	return &APIToken{
		id: s.ID, userID: s.UserID, name: s.Name, prefix: s.Prefix, hash: append([]byte(nil), s.Hash...),
		readOnly: s.ReadOnly, expiresAt: copyTime(s.ExpiresAt), lastUsedAt: copyTime(s.LastUsedAt),
		revokedAt: copyTime(s.RevokedAt), createdAt: s.CreatedAt,
	}
}

// State is the reverse of RestoreAPIToken: the token as storage keeps it. It shares no slice or
// time pointer with the token.
func (t *APIToken) State() TokenState {
	return TokenState{
		ID: t.id, UserID: t.userID, Name: t.name, Prefix: t.prefix, Hash: append([]byte(nil), t.hash...),
		ReadOnly: t.readOnly, ExpiresAt: copyTime(t.expiresAt), LastUsedAt: copyTime(t.lastUsedAt),
		RevokedAt: copyTime(t.revokedAt), CreatedAt: t.createdAt,
	}
}

func (t *APIToken) ID() string             { return t.id }
func (t *APIToken) UserID() string         { return t.userID }
func (t *APIToken) Name() string           { return t.name }
func (t *APIToken) Prefix() string         { return t.prefix }
func (t *APIToken) Hash() []byte           { return append([]byte(nil), t.hash...) }
func (t *APIToken) ReadOnly() bool         { return t.readOnly }
func (t *APIToken) ExpiresAt() *time.Time  { return copyTime(t.expiresAt) }
func (t *APIToken) LastUsedAt() *time.Time { return copyTime(t.lastUsedAt) }
func (t *APIToken) RevokedAt() *time.Time  { return copyTime(t.revokedAt) }
func (t *APIToken) CreatedAt() time.Time   { return t.createdAt }
func (t *APIToken) Revoked() bool          { return t.revokedAt != nil }

// Expired reports whether the token's lifetime is over at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.expiresAt != nil && !now.Before(*t.expiresAt)
}

// Usable reports whether the token may authenticate at now: not revoked and not expired. Whether its
// user is enabled is the user's business.
func (t *APIToken) Usable(now time.Time) bool { return !t.Revoked() && !t.Expired(now) }

// Revoke stops the token for good. Revoking a revoked token changes nothing (the first revocation
// time stays), so a retried revoke is harmless. It reports whether the token changed.
func (t *APIToken) Revoke(now time.Time) bool {
	if t.revokedAt != nil {
		return false
	}
	t.revokedAt = &now
	return true
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
