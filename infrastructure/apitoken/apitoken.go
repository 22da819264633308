// Package apitoken makes token secrets: a recognisable prefix ("ink_" for API tokens, "inkp_" for
// preview tokens) and 32 bytes from crypto/rand in unpadded base64url (43 characters). Only their
// SHA-256 is stored: the secrets have 256 bits of entropy, so a fast unsalted hash is enough (there
// is nothing to brute-force), and it allows an indexed lookup.
package apitoken

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
)

const (
	// Prefix marks Inkwell API tokens, so secret scanners and people recognise a leaked one.
	Prefix = "ink_"
	// PreviewPrefix marks preview tokens: read-only, one article, short-lived.
	PreviewPrefix = "inkp_"
	// randomBytes is the secret's entropy: 256 bits.
	randomBytes = 32
	// displayChars is how many characters after Prefix the display prefix keeps: enough to tell a
	// person's tokens apart, far too few to help guess one.
	displayChars = 8
)

// Generator implements identityapp.SecretGenerator (API tokens) and articleapp.PreviewSecrets
// (preview tokens): one way of making and hashing secrets, two prefixes.
type Generator struct{}

var _ articleapp.PreviewSecrets = Generator{}

// NewGenerator returns the generator.
func NewGenerator() Generator { return Generator{} }

// Generate returns a new random API token, its display prefix and its hash.
func (Generator) Generate() (identityapp.Secret, error) {
	plain, err := generate(Prefix)
	if err != nil {
		return identityapp.Secret{}, err
	}
	return identityapp.Secret{Plaintext: plain, Prefix: plain[:len(Prefix)+displayChars], Hash: hash(plain)}, nil
}

// Hash returns the stored form of an API token, and false when plain is not shaped like one
// Generate makes (wrong prefix, length or alphabet).
func (Generator) Hash(plain string) ([]byte, bool) { return hashOf(Prefix, plain) }

// NewPreviewSecret returns a new random preview token and its hash.
func (Generator) NewPreviewSecret() (string, []byte, error) {
	plain, err := generate(PreviewPrefix)
	if err != nil {
		return "", nil, err
	}
	return plain, hash(plain), nil
}

// HashPreviewSecret is Hash for preview tokens.
func (Generator) HashPreviewSecret(plain string) ([]byte, bool) { return hashOf(PreviewPrefix, plain) }

func generate(prefix string) (string, error) {
	b := make([]byte, randomBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token secret: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

func hashOf(prefix, plain string) ([]byte, bool) {
	if len(plain) != len(prefix)+base64.RawURLEncoding.EncodedLen(randomBytes) || !strings.HasPrefix(plain, prefix) {
		return nil, false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(plain[len(prefix):]); err != nil {
		return nil, false
	}
	return hash(plain), true
}

func hash(plain string) []byte {
	h := sha256.Sum256([]byte(plain))
	return h[:]
}
