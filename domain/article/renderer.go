package article

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Renderer turns Markdown into HTML that is safe to embed in a page (sanitized) and into plain text
// (used for excerpts, reading time and search). Implementations must be safe for concurrent use and
// bound their work: input over their limits, or a render that outlives ctx or their deadline, is
// refused with an ErrBodyLimit error. Only RenderBody calls it, before any transaction opens.
type Renderer interface {
	Render(ctx context.Context, markdown string) (html, plainText string, err error)
}

const (
	// derivedExcerptLength is the length, in characters, a derived excerpt is cut near.
	derivedExcerptLength = 200
	wordsPerMinute       = 200
)

// tagShaped is what an HTML parser would read as the start of markup: "<" then a letter, "/", "!"
// or "?" (HTML tokenizer, tag open state), up to the next ">" or, when none follows, the end.
var tagShaped = regexp.MustCompile(`<[A-Za-z/!?][^>]*(?:>|$)`)

// deriveExcerpt takes the start of the plain text, whitespace collapsed, cut at a word boundary near
// derivedExcerptLength characters with an ellipsis when something was cut. The excerpt is plain text
// with no markup: the body's plain text is decoded (the body's escaped "&lt;img onerror=…&gt;" is
// "<img onerror=…>" there), so tag-shaped runs are dropped, and a client that inserts the excerpt
// into a page without escaping it (which the contract asks it to do) still gets no element. A lone
// "<" that opens no tag ("a < b") stays.
func deriveExcerpt(plainText string) string {
	plainText = tagShaped.ReplaceAllString(plainText, " ")
	var b strings.Builder
	length := 0
	for i, word := range strings.Fields(plainText) {
		wordLength := utf8.RuneCountInString(word)
		if i > 0 {
			wordLength++ // the separating space
		}
		if length+wordLength > derivedExcerptLength {
			if i == 0 { // a single word longer than the limit: cut inside it
				b.WriteString(string([]rune(word)[:derivedExcerptLength]))
			}
			return strings.TrimRight(b.String(), " ,;:-–—") + "…"
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(word)
		length += wordLength
	}
	return b.String()
}

// readingMinutes counts words at wordsPerMinute, rounded up; a body with no words (only an image,
// say) still takes a minute, and only an empty body takes none.
func readingMinutes(bodyMarkdown, plainText string) int {
	words := len(strings.Fields(plainText))
	switch {
	case words > 0:
		return (words + wordsPerMinute - 1) / wordsPerMinute
	case strings.TrimSpace(bodyMarkdown) != "":
		return 1
	default:
		return 0
	}
}
