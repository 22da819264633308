package article_test

import (
	"testing"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
)

func TestParseSort(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"-published_at", "published_at", "title", "-title"} {
		if got, err := articleapp.ParseSort(s, false); err != nil || string(got) != s {
			t.Errorf("public ParseSort(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"-updated_at", "-created_at"} {
		if _, err := articleapp.ParseSort(s, false); err == nil {
			t.Errorf("public ParseSort(%q) accepted an admin sort", s)
		}
		if got, err := articleapp.ParseSort(s, true); err != nil || string(got) != s {
			t.Errorf("admin ParseSort(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "relevance", "updated_at", "TITLE", "title "} {
		if _, err := articleapp.ParseSort(s, true); err == nil {
			t.Errorf("ParseSort(%q) accepted it", s)
		}
	}
}
