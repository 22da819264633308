package markdown

import (
	"bytes"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// separators maps the elements that separate text to what they write: blocks start and end a line,
// table cells are separated by a space (a row is one line). All other elements are inline.
var separators = map[string]byte{
	"address": '\n', "article": '\n', "aside": '\n', "blockquote": '\n', "br": '\n', "caption": '\n',
	"dd": '\n', "details": '\n', "div": '\n', "dl": '\n', "dt": '\n', "figcaption": '\n', "figure": '\n',
	"h1": '\n', "h2": '\n', "h3": '\n', "h4": '\n', "h5": '\n', "h6": '\n', "hr": '\n', "li": '\n',
	"ol": '\n', "p": '\n', "pre": '\n', "section": '\n', "summary": '\n', "table": '\n', "tr": '\n',
	"ul": '\n', "td": ' ', "th": ' ',
}

// textOf extracts the text of sanitized HTML: entities decoded, one line per block, whitespace
// collapsed. Working on the sanitized output (rather than the Markdown tree) means the text is
// exactly what a reader sees: no raw HTML, nothing the sanitizer removed.
func textOf(safeHTML []byte) string {
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(safeHTML))
	for {
		switch z.Next() {
		case html.ErrorToken: // io.EOF: the input is an in-memory buffer
			return collapse(b.String())
		case html.TextToken:
			b.WriteString(strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return ' '
				}
				return r
			}, string(z.Text())))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); separators[string(name)] != 0 {
				b.WriteByte(separators[string(name)])
			}
		}
	}
}

// collapse trims every line, squeezes its spaces and drops empty lines.
func collapse(text string) string {
	lines := strings.Split(text, "\n")
	kept := lines[:0]
	for _, line := range lines {
		if words := strings.Fields(line); len(words) > 0 {
			kept = append(kept, strings.Join(words, " "))
		}
	}
	return strings.Join(kept, "\n")
}
