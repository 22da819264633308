package markdown_test

import (
	"testing"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
)

func FuzzRenderIsSafe(f *testing.F) {
	for _, v := range xssVectors {
		f.Add(v.markdown)
	}
	f.Add("# Title\n\nA [link](https://example.com) and ![img](/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
	r := markdown.NewRenderer()
	f.Fuzz(func(t *testing.T, in string) {
		out, text := r.Render(in)
		if problem := unsafety(out); problem != "" {
			t.Fatalf("Render(%q) is unsafe: %s\n%s", in, problem, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(text) {
			t.Fatalf("Render(%q) plain text is not valid UTF-8: %q", in, text)
		}
	})
}
