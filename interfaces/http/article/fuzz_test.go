package articlehttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// FuzzParseListQuery: whatever the query string, parsing never panics and every refusal is a
// 400-kind *shared.Error naming one parameter; an accepted query is within the list limits.
func FuzzParseListQuery(f *testing.F) {
	f.Add("limit=10&sort=title", false)
	f.Add("tag=go&tag=web&q=hello&fields=slug,title", false)
	f.Add("status=trashed&status=draft&sort=-created_at&page=3", true)
	f.Fuzz(func(t *testing.T, raw string, admin bool) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		req, err := ParseListQuery(values, admin)
		if err != nil {
			var se *shared.Error
			if !errors.As(err, &se) || se.Kind != shared.KindMalformed || len(se.Fields) != 1 {
				t.Fatalf("%q: not a 400 naming one parameter: %#v", raw, err)
			}
			return
		}
		q := req.Query
		if q.Limit < 1 || q.Limit > 100 || q.Page < 0 || (q.Page > 0 && q.Cursor != nil) || q.Sort == "" {
			t.Fatalf("%q: accepted an out-of-range query %+v", raw, q)
		}
		if req.Fields != nil && req.Fields[0] != "id" {
			t.Fatalf("%q: fields without id: %v", raw, req.Fields)
		}
	})
}

// FuzzDecodePatch: whatever the body, decoding an article merge patch never panics, refuses with
// a 400 or 422 *shared.Error, and an accepted patch sets exactly the fields present in the body.
func FuzzDecodePatch(f *testing.F) {
	f.Add([]byte(`{"title":"New","excerpt":null,"tags":["go"]}`))
	f.Add([]byte(`{"tags":null,"slug":null}`))
	f.Add([]byte(`{"title":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"bogus":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest("PATCH", "/", bytes.NewReader(body))
		cmd, err := decodePatch(c)
		if err != nil {
			var se *shared.Error
			if !errors.As(err, &se) || (se.Kind != shared.KindMalformed && se.Kind != shared.KindInvalid) {
				t.Fatalf("%q: not a 400 or 422: %#v", body, err)
			}
			return
		}
		var present map[string]json.RawMessage
		if err := json.Unmarshal(body, &present); err != nil {
			t.Fatalf("%q: accepted but not a JSON object: %v", body, err)
		}
		set := map[string]bool{
			"title": cmd.Title != nil, "slug": cmd.Slug != nil, "excerpt": cmd.Excerpt != nil,
			"body_markdown": cmd.BodyMarkdown != nil, "cover_image_url": cmd.CoverImageURL != nil,
			"meta_title": cmd.MetaTitle != nil, "meta_description": cmd.MetaDescription != nil, "tags": cmd.Tags != nil,
		}
		for name, isSet := range set {
			ok := false
			for key := range present {
				ok = ok || strings.EqualFold(key, name) // encoding/json matches names ignoring case
			}
			if ok != isSet {
				t.Fatalf("%q: field %s present=%v but set=%v", body, name, ok, isSet)
			}
		}
	})
}

// FuzzPreviewCredential: whatever the Authorization header and preview parameters, reading the
// preview credential never panics; a credential is reported only when one was presented, and a
// refusal is always the 401 invalid_preview_token.
func FuzzPreviewCredential(f *testing.F) {
	f.Add("Preview inkp_abc", "", false)
	f.Add("Bearer ink_abc", "inkp_x", true)
	f.Add("preview   ", "", false)
	f.Add("", "a", true)
	f.Fuzz(func(t *testing.T, header, query string, withQuery bool) {
		var q []string
		if withQuery {
			q = []string{query}
		}
		token, presented, err := PreviewCredential(header, q)
		if err != nil {
			if !presented || !errors.Is(err, article.ErrInvalidPreviewToken) {
				t.Fatalf("refusal %v (presented %v)", err, presented)
			}
			return
		}
		if presented && token == "" && !withQuery {
			t.Fatalf("an empty token from the header %q", header)
		}
		if !presented && token != "" {
			t.Fatalf("token %q reported as not presented", token)
		}
	})
}
