package markdown_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// forbiddenElements must never reach the output: they run script, load other documents, or change
// how the page around the content behaves.
var forbiddenElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "svg": true, "math": true, "form": true, "base": true, "meta": true,
	"link": true, "textarea": true, "select": true, "button": true,
}

// urlAttributes hold URLs a browser may follow or load.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "cite": true, "action": true, "formaction": true, "xlink:href": true,
	"background": true, "poster": true, "srcset": true, "data": true, "usemap": true,
}

// unsafety reports the first unsafe construct in rendered HTML, or "" when there is none. It reads the
// output as a browser would (a tokenizer, entities decoded), so text that merely mentions
// "javascript:" or "onclick=" is fine while markup that would run it is not.
func unsafety(out string) string {
	if strings.Contains(strings.ToLower(out), "<script") {
		return "contains <script"
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return ""
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if forbiddenElements[tok.Data] {
			return "element <" + tok.Data + ">"
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(key, "on"):
				return fmt.Sprintf("event handler %s on <%s>", a.Key, tok.Data)
			case key == "style":
				return fmt.Sprintf("style attribute on <%s>", tok.Data)
			case urlAttributes[key] && dangerousURL(a.Val):
				return fmt.Sprintf("%s=%q on <%s>", a.Key, a.Val, tok.Data)
			}
		}
	}
}

// dangerousURL normalizes a URL the way browsers tolerate it (control characters and whitespace
// ignored, any case) and checks its scheme.
func dangerousURL(raw string) bool {
	var b bytes.Buffer
	for _, r := range raw {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	u := b.String()
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") || strings.HasPrefix(u, "data:")
}

// TestUnsafetyDetects checks the oracle itself, so that a passing fuzz run means something.
func TestUnsafetyDetects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		html   string
		unsafe bool
	}{
		{"<SCRIPT>x</SCRIPT>", true},
		{`<img src="x" onerror="x">`, true},
		{`<a href="JaVa&#09;script:x">x</a>`, true},
		{`<img src=" data:image/png;base64,AA">`, true},
		{"<svg></svg>", true},
		{`<p style="color:red">x</p>`, true},
		{"<p>text about javascript: and onclick=x is fine</p>", false},
		{`<a href="https://ok.example" rel="nofollow">ok</a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.html, func(t *testing.T) {
			t.Parallel()
			if got := unsafety(tt.html) != ""; got != tt.unsafe {
				t.Fatalf("unsafety(%q) = %q, want unsafe %v", tt.html, unsafety(tt.html), tt.unsafe)
			}
		})
	}
}
