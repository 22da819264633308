package bind_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/interfaces/http/bind"
)

type link struct {
	URL   string `json:"url"`
	Label string `json:"label"`
}

type profile struct {
	Bio   string `json:"bio"`
	Links []link `json:"links"`
}

type audit struct {
	ID string `json:"id"`
}

// document has every shape the walk looks through: nested structs, slices of structs, maps,
// Optional of a struct and of a slice of structs, an embedded struct, any and a skipped field.
type document struct {
	audit
	Title    string                  `json:"title"`
	Author   struct{ Name string }   `json:"author"`
	Links    []link                  `json:"links"`
	Meta     map[string]int          `json:"meta"`
	Profile  bind.Optional[profile]  `json:"profile"`
	Extra    bind.Optional[[]link]   `json:"extra"`
	Name     bind.Optional[string]   `json:"name"`
	Any      any                     `json:"any"`
	Internal string                  `json:"-"`
	Ptr      *link                   `json:"ptr,omitempty"`
	Tags     bind.Optional[[]string] `json:"tags"`
}

func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestJSONIsStrict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, code, message string
	}{
		// Duplicate keys, at any depth, named by their path.
		{"duplicate key", `{"title": "a", "title": "b"}`, bind.CodeDuplicateKey, `"title"`},
		{"duplicate optional", `{"tags": ["a"], "tags": null}`, bind.CodeDuplicateKey, `"tags"`},
		{"duplicate in nested struct", `{"author": {"Name": "a", "Name": "b"}}`, bind.CodeDuplicateKey, `"author.Name"`},
		{"duplicate in slice of structs", `{"links": [{"url": "a"}, {"url": "b", "label": "", "url": "c"}]}`, bind.CodeDuplicateKey, `"links[1].url"`},
		{"duplicate in map", `{"meta": {"k": 1, "k": 2}}`, bind.CodeDuplicateKey, `"meta.k"`},
		{"duplicate in any", `{"any": [0, {"x": {"y": 1, "y": 2}}]}`, bind.CodeDuplicateKey, `"any[1].x.y"`},
		{"duplicate through an escape", `{"title": "a", "\u0074itle": "b"}`, bind.CodeDuplicateKey, `"title"`},
		{"duplicate in Optional struct", `{"profile": {"bio": "a", "bio": "b"}}`, bind.CodeDuplicateKey, `"profile.bio"`},
		{"duplicate in a big object", `{"meta": {` + manyKeys(40) + `, "k7": 1}}`, bind.CodeDuplicateKey, `"meta.k7"`},
		{"duplicate empty key", `{"meta": {"": 1, "": 2}}`, bind.CodeDuplicateKey, `"meta."`},
		{"duplicate embedded field", `{"id": "a", "id": "b"}`, bind.CodeDuplicateKey, `"id"`},
		// Depth: 32 levels pass, 33 do not, and a deep body is refused before it is read through.
		{"33 levels", `{"any": ` + nested(32) + `}`, bind.CodeTooDeep, "32 levels"},
		{"5,000 levels", `{"any": ` + nested(5000) + `}`, bind.CodeTooDeep, "32 levels"},
		{"5,000 levels unterminated", `{"any": ` + strings.Repeat(`[{"a":`, 2500), bind.CodeTooDeep, "32 levels"},
		{"deep top-level array", nested(5000), bind.CodeInvalidJSON, "must be a JSON object"},
		// Invalid UTF-8 anywhere.
		{"invalid UTF-8 in a value", "{\"title\": \"\xff\xfe\"}", bind.CodeInvalidUTF8, "UTF-8"},
		{"invalid UTF-8 in a key", "{\"ti\xc3tle\": \"a\"}", bind.CodeInvalidUTF8, "UTF-8"},
		{"invalid UTF-8 outside strings", "{\"title\": \"a\"}\xff", bind.CodeInvalidUTF8, "UTF-8"},
		{"overlong encoding", "{\"title\": \"\xc0\xaf\"}", bind.CodeInvalidUTF8, "UTF-8"},
		{"UTF-16 surrogate as UTF-8", "{\"title\": \"\xed\xa0\x80\"}", bind.CodeInvalidUTF8, "UTF-8"},
		// Not an object.
		{"null body", `null`, bind.CodeInvalidJSON, "must be a JSON object"},
		{"array body", `[]`, bind.CodeInvalidJSON, "must be a JSON object"},
		{"string body", `"title"`, bind.CodeInvalidJSON, "must be a JSON object"},
		{"number body", `12`, bind.CodeInvalidJSON, "must be a JSON object"},
		{"boolean body", ` true`, bind.CodeInvalidJSON, "must be a JSON object"},
		{"empty", "", bind.CodeEmptyBody, "empty"},
		{"blank", " \r\n\t", bind.CodeEmptyBody, "empty"},
		// Field names are exact: encoding/json alone would take these.
		{"title in capitals", `{"Title": "x"}`, bind.CodeUnknownField, `did you mean "title"`},
		{"title upper case", `{"TITLE": "x"}`, bind.CodeUnknownField, `"TITLE"`},
		{"case in a nested struct", `{"author": {"name": "x"}}`, bind.CodeUnknownField, `"author.name"`},
		{"case in a slice of structs", `{"links": [{"URL": "x"}]}`, bind.CodeUnknownField, `"links[0].URL"`},
		{"case in an Optional struct", `{"profile": {"Bio": "x"}}`, bind.CodeUnknownField, `"profile.Bio"`},
		{"case in an Optional struct's slice", `{"profile": {"links": [{"Label": "x"}]}}`, bind.CodeUnknownField, `"profile.links[0].Label"`},
		{"case in an Optional slice", `{"extra": [{"url": "a"}, {"Url": "b"}]}`, bind.CodeUnknownField, `"extra[1].Url"`},
		{"case in a pointer", `{"ptr": {"Url": "b"}}`, bind.CodeUnknownField, `"ptr.Url"`},
		{"case of an embedded field", `{"ID": "x"}`, bind.CodeUnknownField, `"ID"`},
		{"skipped field", `{"Internal": "x"}`, bind.CodeUnknownField, `"Internal"`},
		{"dash field", `{"-": "x"}`, bind.CodeUnknownField, `"-"`},
		{"empty key in a struct", `{"": 1}`, bind.CodeUnknownField, `""`},
		{"case through an escape", `{"\u0054itle": "x"}`, bind.CodeUnknownField, `"Title"`},
		// Syntax, which the walk checks in full.
		{"trailing comma", `{"title": "a",}`, bind.CodeInvalidJSON, "byte 15"},
		{"trailing comma in array", `{"tags": ["a",]}`, bind.CodeInvalidJSON, "malformed"},
		{"leading zero", `{"any": 01}`, bind.CodeInvalidJSON, "malformed"},
		{"bare minus", `{"any": -}`, bind.CodeInvalidJSON, "malformed"},
		{"bad exponent", `{"any": 1e}`, bind.CodeInvalidJSON, "malformed"},
		{"control character", "{\"title\": \"a\x01\"}", bind.CodeInvalidJSON, "malformed"},
		{"bad escape", `{"title": "\q"}`, bind.CodeInvalidJSON, "malformed"},
		{"short unicode escape", `{"title": "\u12"}`, bind.CodeInvalidJSON, "malformed"},
		{"single quotes", `{'title': "a"}`, bind.CodeInvalidJSON, "malformed"},
		{"missing colon", `{"title" "a"}`, bind.CodeInvalidJSON, "malformed"},
		{"bad literal", `{"any": nul}`, bind.CodeInvalidJSON, "malformed"},
		{"mismatched close", `{"tags": ["a"}}`, bind.CodeInvalidJSON, "malformed"},
		{"ends early", `{"title": "a", "tags": [`, bind.CodeInvalidJSON, "too early"},
		{"ends in a string", `{"title": "a`, bind.CodeInvalidJSON, "too early"},
		{"trailing object", `{"title": "a"} {}`, bind.CodeInvalidJSON, "more data"},
		{"trailing NUL", "{\"title\": \"a\"}\x00", bind.CodeInvalidJSON, "more data"},
		// Types stay the strict decode's.
		{"wrong type", `{"title": 1}`, bind.CodeInvalidJSON, `"title" must be a JSON string`},
		{"object for a slice", `{"links": {"Url": 1}}`, bind.CodeInvalidJSON, "array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var d document
			err := bind.JSON(contextWith(tt.body, 0, "/"), &d)
			if codeOf(err) != tt.code || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("got %v, want code %s mentioning %q", err, tt.code, tt.message)
			}
		})
	}
}

func manyKeys(n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = `"k` + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + `": 1`
	}
	keys[7] = `"k7": 1`
	return strings.Join(keys, ", ")
}

func TestJSONAcceptsEveryShape(t *testing.T) {
	t.Parallel()
	body := `{"id": "i", "title": "T\u00e9 ☕", "author": {"Name": "A"}, "links": [{"url": "u", "label": "l"}],
		"meta": {"": 1, "a": 2, ` + manyKeys(30) + `}, "profile": {"bio": "b", "links": []}, "extra": null,
		"name": null, "any": ` + strings.TrimSuffix(strings.TrimPrefix(nested(31), "["), "]") + `, "ptr": {"url": "p"},
		"tags": ["a", "b"]}`
	var d document
	if err := bind.JSON(contextWith(body, 0, "/"), &d); err != nil {
		t.Fatal(err)
	}
	if d.ID != "i" || d.Title != "T\u00e9 ☕" || d.Author.Name != "A" || d.Links[0].URL != "u" || d.Meta["a"] != 2 ||
		!d.Profile.Set || d.Profile.Value.Bio != "b" || !d.Extra.Null || !d.Name.Null || d.Ptr.URL != "p" ||
		len(d.Tags.Value) != 2 || d.Any == nil {
		t.Fatalf("got %+v", d)
	}
	var none struct{}
	if err := bind.JSON(contextWith(" {} \n", 0, "/"), &none); err != nil {
		t.Fatal(err)
	}
}

func TestJSONRefusesABodyThatIsNotThere(t *testing.T) {
	t.Parallel()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/", nil)
	c.Request.Body = nil
	var d document
	if err := bind.JSON(c, &d); codeOf(err) != bind.CodeEmptyBody {
		t.Fatalf("nil body: %v", err)
	}
}

// A duplicate whose first value is null must not leave Optional's Null set under the second value:
// bind.JSON refuses the duplicate before decoding anything, and Optional resets its state anyway.
func TestDuplicateNullLeavesNoTrace(t *testing.T) {
	t.Parallel()
	var d document
	err := bind.JSON(contextWith(`{"name": null, "name": "x"}`, 0, "/"), &d)
	if codeOf(err) != bind.CodeDuplicateKey {
		t.Fatalf("got %v", err)
	}
	if d.Name != (bind.Optional[string]{}) {
		t.Fatalf("the refused body changed the target: %+v", d.Name)
	}
	// Without bind (encoding/json keeps the last duplicate), the value still wins cleanly.
	var p struct {
		Name bind.Optional[string] `json:"name"`
	}
	if err := json.Unmarshal([]byte(`{"name": null, "name": "x"}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Name.Set || p.Name.Null || p.Name.Value != "x" {
		t.Fatalf("null then a value: %+v", p.Name)
	}
	if err := json.Unmarshal([]byte(`{"name": "x", "name": null}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Name.Set || !p.Name.Null || p.Name.Value != "" {
		t.Fatalf("a value then null: %+v", p.Name)
	}
}
