package apitoken_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/apitoken"
)

func TestGenerateMakesDistinctWellFormedTokens(t *testing.T) {
	t.Parallel()
	g := apitoken.NewGenerator()
	seen := map[string]bool{}
	for range 1000 {
		s, err := g.Generate()
		if err != nil {
			t.Fatal(err)
		}
		if seen[s.Plaintext] {
			t.Fatalf("duplicate token %s", s.Plaintext)
		}
		seen[s.Plaintext] = true
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s.Plaintext, "ink_"))
		if !strings.HasPrefix(s.Plaintext, "ink_") || err != nil || len(raw) != 32 {
			t.Fatalf("malformed token %q: %v", s.Plaintext, err)
		}
		want := sha256.Sum256([]byte(s.Plaintext))
		if !bytes.Equal(s.Hash, want[:]) || s.Prefix != s.Plaintext[:12] {
			t.Fatalf("hash or prefix do not belong to %s", s.Plaintext)
		}
		if h, ok := g.Hash(s.Plaintext); !ok || !bytes.Equal(h, s.Hash) {
			t.Fatal("Hash of a generated token differs from its stored hash")
		}
	}
}

func TestHashRejectsWhatGenerateNeverMakes(t *testing.T) {
	t.Parallel()
	g := apitoken.NewGenerator()
	good, err := g.Generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, plain := range map[string]string{
		"empty":         "",
		"no prefix":     "abc_" + good.Plaintext[4:],
		"too short":     good.Plaintext[:len(good.Plaintext)-1],
		"too long":      good.Plaintext + "A",
		"bad alphabet":  good.Plaintext[:20] + "+" + good.Plaintext[21:],
		"padding":       good.Plaintext[:len(good.Plaintext)-1] + "=",
		"bearer prefix": "Bearer " + good.Plaintext,
	} {
		if _, ok := g.Hash(plain); ok {
			t.Errorf("%s: %q accepted", name, plain)
		}
	}
}

func TestPreviewSecretsArePrefixedAndNeverPassForAPITokens(t *testing.T) {
	t.Parallel()
	g := apitoken.NewGenerator()
	plain, hash, err := g.NewPreviewSecret()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(plain, "inkp_"))
	if !strings.HasPrefix(plain, "inkp_") || err != nil || len(raw) != 32 {
		t.Fatalf("malformed preview token %q: %v", plain, err)
	}
	if h, ok := g.HashPreviewSecret(plain); !ok || !bytes.Equal(h, hash) {
		t.Fatal("HashPreviewSecret of a generated preview token differs from its hash")
	}
	if _, ok := g.Hash(plain); ok {
		t.Fatal("a preview token passed for an API token")
	}
	api, err := g.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.HashPreviewSecret(api.Plaintext); ok {
		t.Fatal("an API token passed for a preview token")
	}
}
