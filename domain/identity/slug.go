package identity

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugLength bounds an author slug: it is a URL path segment and an index key.
const maxSlugLength = 100

// SlugFromName derives an author slug from a display name: accents dropped, ASCII letters and digits
// kept lower-case, everything else collapsed into single hyphens. It returns "" when nothing usable is
// left (a name in a script without a Latin transliteration); the caller then picks a fallback.
func SlugFromName(name string) string {
	var b strings.Builder
	pendingHyphen := false
	// NFD splits "é" into "e" + a combining accent, so dropping the marks keeps the base letter.
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			pendingHyphen = true
		}
	}
	s := b.String()
	if len(s) > maxSlugLength {
		s = strings.TrimRight(s[:maxSlugLength], "-")
	}
	return s
}
