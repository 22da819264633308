package shared

import (
	"strconv"
	"strings"
)

// Version counts the changes of an aggregate; it starts at 1 and guards optimistic concurrency.
type Version int64

// ETag renders the version as a strong entity tag: the quoted number.
func (v Version) ETag() string { return `"` + strconv.FormatInt(int64(v), 10) + `"` }

// ParseETag reads an If-Match value (a quoted version, optionally weak-prefixed) back into a version.
func ParseETag(s string) (Version, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "W/"))
	if len(s) < 3 || s[0] != '"' || s[len(s)-1] != '"' {
		return 0, false
	}
	n, err := strconv.ParseInt(s[1:len(s)-1], 10, 64)
	if err != nil || n < 1 {
		return 0, false
	}
	return Version(n), true
}
