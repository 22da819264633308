package webhook

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// SecretPrefix starts every signing secret, as Standard Webhooks recommends.
const SecretPrefix = "whsec_"

const (
	secretBytes    = 32 // generated
	minSecretBytes = 24 // accepted
)

// Secret is an endpoint's signing key: "whsec_" + base64 of random bytes. String() never reveals it,
// so a secret printed by accident into a log stays secret.
type Secret struct{ value string }

// NewSecret draws a new secret from r (crypto/rand.Reader outside tests).
func NewSecret(r io.Reader) (Secret, error) {
	b := make([]byte, secretBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return Secret{}, fmt.Errorf("webhook secret: %w", err)
	}
	return Secret{value: SecretPrefix + base64.StdEncoding.EncodeToString(b)}, nil
}

// ParseSecret reads a stored secret back, checking its shape.
func ParseSecret(s string) (Secret, error) {
	if _, err := decodeSecret(s); err != nil {
		return Secret{}, err
	}
	return Secret{value: s}, nil
}

func decodeSecret(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, SecretPrefix)
	if !ok {
		return nil, errors.New("webhook secret: missing whsec_ prefix")
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("webhook secret: %w", err)
	}
	if len(key) < minSecretBytes {
		return nil, fmt.Errorf("webhook secret: %d bytes, want at least %d", len(key), minSecretBytes)
	}
	return key, nil
}

// Reveal returns the whole secret, to show it once to an admin or to store it.
func (s Secret) Reveal() string { return s.value }

// Key returns the HMAC key: the decoded bytes after the prefix.
func (s Secret) Key() []byte {
	key, _ := decodeSecret(s.value) // the value was checked when the Secret was made
	return key
}

// IsZero reports whether s was never set.
func (s Secret) IsZero() bool { return s.value == "" }

// String hides the secret.
func (s Secret) String() string { return SecretPrefix + "[redacted]" }
