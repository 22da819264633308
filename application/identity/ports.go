// Package identity is the identity use cases: users, their API tokens, authenticating a token into
// a principal, and creating the first admin.
package identity

// Secret is a freshly generated API token: the plaintext (shown once, never stored or logged), the
// display prefix and the SHA-256 hash that is stored.
type Secret struct {
	Plaintext string
	Prefix    string
	Hash      []byte
}

// SecretGenerator makes and hashes API token secrets; infrastructure implements it with crypto/rand.
type SecretGenerator interface {
	Generate() (Secret, error)
	// Hash returns the stored form of a presented plaintext, and false when it is not shaped like an
	// Inkwell token (so a malformed one costs no database query).
	Hash(plaintext string) ([]byte, bool)
}
