package shared

import (
	"fmt"
	"strings"

	"github.com/gosimple/slug"
)

// MaxSlugLength bounds every slug (articles and tags): long enough for a title, short enough for a URL
// path segment and an index.
const MaxSlugLength = 200

// ErrSlugTaken is returned when another article or tag already uses the slug; repositories translate
// the unique-index violation into it.
var ErrSlugTaken = Conflict("slug_taken", "that slug is already in use; choose another one")

// Slugify derives a slug from free text: transliterated to ASCII, lower-case, words joined by single
// hyphens, cut at a word boundary to MaxSlugLength. It returns "" when nothing usable is left (for
// example a title made only of punctuation), so callers must treat "" as "could not derive".
func Slugify(text string) string {
	// gosimple/slug keeps underscores and never shortens unless its global MaxLength is set, which is
	// shared mutable state; so it only transliterates here and the rest is done locally.
	s := strings.ReplaceAll(slug.Make(text), "_", "-")
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' })
	s = strings.Join(words, "-")
	if len(s) <= MaxSlugLength {
		return s
	}
	if cut := strings.LastIndexByte(s[:MaxSlugLength+1], '-'); cut > 0 {
		return s[:cut]
	}
	return s[:MaxSlugLength]
}

// IsValidSlug reports whether s is a well-formed slug: 1 to MaxSlugLength characters of a-z and 0-9,
// in words separated by single hyphens.
func IsValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLength || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// ChooseSlug returns the explicit slug when one is given, otherwise the slug derived from source (a
// title or a name). It records a field error on v when the result is not a valid slug.
func ChooseSlug(v *Validator, field, explicit, source string) string {
	explicit = strings.TrimSpace(explicit)
	if explicit != "" {
		v.Check(IsValidSlug(explicit), field,
			fmt.Sprintf("must be 1 to %d characters of a-z and 0-9 in words joined by single hyphens", MaxSlugLength))
		return explicit
	}
	derived := Slugify(source)
	v.Check(derived != "", field, "cannot be derived from the text; give one explicitly")
	return derived
}
