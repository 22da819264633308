package webhook_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/webhook"
)

func TestNewSecretIsPrefixedBase64OfEnoughRandomBytes(t *testing.T) {
	t.Parallel()
	a, err := webhook.NewSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := webhook.NewSecret(rand.Reader)
	if a.Reveal() == b.Reveal() {
		t.Fatal("two secrets are equal")
	}
	rest, ok := strings.CutPrefix(a.Reveal(), "whsec_")
	if !ok {
		t.Fatalf("secret %q lacks the prefix", a.Reveal())
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(key) < 24 || !bytes.Equal(key, a.Key()) {
		t.Fatalf("key: %d bytes, %v", len(key), err)
	}
	if strings.Contains(fmt.Sprint(a), rest) || strings.Contains(fmt.Sprintf("%+v", struct{ S webhook.Secret }{a}), rest) {
		t.Fatal("printing a secret reveals it")
	}
	if _, err := webhook.NewSecret(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("a short random source must fail")
	}
}

func TestParseSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in string
		ok bool
	}{
		{"whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 24)), true},
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true},
		{base64.StdEncoding.EncodeToString(make([]byte, 32)), false},
		{"whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 23)), false},
		{"whsec_not*base64", false},
	}
	for _, tt := range tests {
		s, err := webhook.ParseSecret(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseSecret(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if tt.ok && s.Reveal() != tt.in {
			t.Errorf("ParseSecret(%q) = %q", tt.in, s.Reveal())
		}
	}
}
