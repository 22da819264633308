package shared_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestSlugify(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 60)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain words", "Hello World", "hello-world"},
		{"trims and collapses separators", "  --Hello___ ,, World--  ", "hello-world"},
		{"transliterates accents", "Crème Brûlée à Paris", "creme-brulee-a-paris"},
		{"transliterates German", "Größe über Maß", "grosse-uber-mass"},
		{"transliterates Cyrillic", "Привет мир", "privet-mir"},
		{"spells ampersand", "Salt & Pepper", "salt-and-pepper"},
		{"keeps digits", "Go 1.26 released", "go-1-26-released"},
		{"only punctuation", "!!! ??? ...", ""},
		{"empty", "", ""},
		{"cuts long text at a word boundary", long, strings.TrimSuffix(strings.Repeat("word-", 40), "-")},
		{"hard-cuts one giant word", strings.Repeat("a", 250), strings.Repeat("a", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := shared.Slugify(tt.in)
			if got != tt.want {
				t.Fatalf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got != "" && !shared.IsValidSlug(got) {
				t.Fatalf("Slugify(%q) = %q is not a valid slug", tt.in, got)
			}
		})
	}
}

func TestIsValidSlug(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"hello", true},
		{"hello-world-2", true},
		{"a", true},
		{strings.Repeat("a", 200), true},
		{strings.Repeat("a", 201), false},
		{"", false},
		{"Hello", false},
		{"-hello", false},
		{"hello-", false},
		{"hello--world", false},
		{"hello_world", false},
		{"hello world", false},
		{"héllo", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := shared.IsValidSlug(tt.in); got != tt.want {
				t.Fatalf("IsValidSlug(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestChooseSlug(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		explicit  string
		source    string
		want      string
		wantError bool
	}{
		{"explicit wins", "my-slug", "Some Title", "my-slug", false},
		{"explicit is trimmed", "  my-slug ", "Some Title", "my-slug", false},
		{"derived when absent", "", "Some Title", "some-title", false},
		{"explicit must be valid", "Not A Slug", "Some Title", "Not A Slug", true},
		{"underivable source", "", "!!!", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v shared.Validator
			got := shared.ChooseSlug(&v, "slug", tt.explicit, tt.source)
			if got != tt.want {
				t.Fatalf("ChooseSlug = %q, want %q", got, tt.want)
			}
			err := v.Err()
			if (err != nil) != tt.wantError {
				t.Fatalf("error = %v, wantError %v", err, tt.wantError)
			}
			var e *shared.Error
			if err != nil && (!errors.As(err, &e) || e.Fields[0].Field != "slug") {
				t.Fatalf("error %v does not name the slug field", err)
			}
		})
	}
}

func FuzzSlugify(f *testing.F) {
	for _, seed := range []string{"Hello World", "Crème Brûlée", "Привет", "日本語のタイトル", "a_b--c", "  ", "🙂 emoji 🙂", strings.Repeat("ab ", 100)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if want := len(in) <= shared.MaxSlugLength && slugPattern.MatchString(in); shared.IsValidSlug(in) != want {
			t.Fatalf("IsValidSlug(%q) = %v, want %v", in, !want, want)
		}
		got := shared.Slugify(in)
		if got == "" {
			return
		}
		if len(got) > shared.MaxSlugLength {
			t.Fatalf("Slugify(%q) is %d bytes long", in, len(got))
		}
		if !slugPattern.MatchString(got) {
			t.Fatalf("Slugify(%q) = %q does not match %s", in, got, slugPattern)
		}
		if !shared.IsValidSlug(got) {
			t.Fatalf("IsValidSlug rejects Slugify(%q) = %q", in, got)
		}
	})
}
