package identity

import "github.com/inkwell-cms/inkwell/domain/shared"

// maxSlugLength bounds an author slug: it is a URL path segment and an index key.
const maxSlugLength = 100

// SlugFromName derives an author slug from a display name with the slug rules every context shares,
// cut to the shorter author limit.
func SlugFromName(name string) string {
	s := shared.Slugify(name)
	for len(s) > maxSlugLength {
		cut := s[:maxSlugLength]
		if i := lastHyphen(cut); i > 0 {
			cut = cut[:i]
		}
		s = cut
	}
	return s
}

func lastHyphen(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			return i
		}
	}
	return -1
}
