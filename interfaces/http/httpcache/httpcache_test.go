package httpcache_test

import (
	"testing"

	"github.com/inkwell-cms/inkwell/interfaces/http/httpcache"
)

func TestMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header, etag string
		want         bool
	}{
		{``, `"a"`, false},
		{`"a"`, `"a"`, true},
		{`"b", "a"`, `"a"`, true},
		{`W/"a"`, `"a"`, true},
		{`"a-gz"`, `"a"`, true},
		{`*`, `"a"`, true},
		{`"ab"`, `"a"`, false},
		{`a`, `"a"`, false},
	}
	for _, tc := range cases {
		if got := httpcache.Matches(tc.header, tc.etag); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tc.header, tc.etag, got, tc.want)
		}
	}
	if got := httpcache.StripEncoding(`W/"3-gz"`); got != `"3"` {
		t.Errorf("StripEncoding: %q", got)
	}
}
