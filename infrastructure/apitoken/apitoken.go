// Package apitoken makes API token secrets: "ink_" and 32 bytes from crypto/rand in unpadded
// base64url (43 characters). Only their SHA-256 is stored: the secrets have 256 bits of entropy, so a
// fast unsalted hash is enough (there is nothing to brute-force), and it allows an indexed lookup.
package apitoken

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
)

const (
	// Prefix marks Inkwell tokens, so secret scanners and people recognise a leaked one.
	Prefix = "ink_"
	// randomBytes is the secret's entropy: 256 bits.
	randomBytes = 32
	// displayChars is how many characters after Prefix the display prefix keeps: enough to tell a
	// person's tokens apart, far too few to help guess one.
	displayChars = 8
)

// encodedLen is the length of a whole token.
var encodedLen = len(Prefix) + base64.RawURLEncoding.EncodedLen(randomBytes)

// Generator implements identityapp.SecretGenerator.
type Generator struct{}

// NewGenerator returns the generator.
func NewGenerator() Generator { return Generator{} }

// Generate returns a new random token, its display prefix and its hash.
func (Generator) Generate() (identityapp.Secret, error) {
	b := make([]byte, randomBytes)
	if _, err := rand.Read(b); err != nil {
		return identityapp.Secret{}, fmt.Errorf("generate token secret: %w", err)
	}
	plain := Prefix + base64.RawURLEncoding.EncodeToString(b)
	return identityapp.Secret{Plaintext: plain, Prefix: plain[:len(Prefix)+displayChars], Hash: hash(plain)}, nil
}

// Hash returns the stored form of plain, and false when plain is not shaped like a token Generate
// makes (wrong prefix, length or alphabet).
func (Generator) Hash(plain string) ([]byte, bool) {
	if len(plain) != encodedLen || !strings.HasPrefix(plain, Prefix) {
		return nil, false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(plain[len(Prefix):]); err != nil {
		return nil, false
	}
	return hash(plain), true
}

func hash(plain string) []byte {
	h := sha256.Sum256([]byte(plain))
	return h[:]
}
