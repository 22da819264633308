package bind_test

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

// FuzzJSON: whatever the body, bind.JSON never panics; a refusal is always a 400-kind
// *shared.Error; what it accepts is one valid UTF-8 JSON value that encoding/json also takes, and
// the decoded value encodes again. The seed corpus is in testdata/fuzz/FuzzJSON.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"title": "a", "links": [{"url": "u"}], "profile": {"bio": "b"}, "name": null}`))
	f.Add([]byte(`{"title": "a", "title": "b"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var d document
		err := bind.JSON(contextWith(string(body), 0, "/"), &d)
		if err != nil {
			var se *shared.Error
			if !errors.As(err, &se) || se.Kind != shared.KindMalformed || se.Code == "" {
				t.Fatalf("%q: not a 400-kind *shared.Error: %#v", body, err)
			}
			return
		}
		if !utf8.Valid(body) || !json.Valid(body) {
			t.Fatalf("%q: accepted a body that is not one valid UTF-8 JSON value", body)
		}
		var lenient document
		if err := json.Unmarshal(body, &lenient); err != nil {
			t.Fatalf("%q: accepted a body encoding/json refuses: %v", body, err)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("%q: the decoded value does not encode: %v", body, err)
		}
	})
}
