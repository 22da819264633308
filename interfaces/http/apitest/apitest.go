// Package apitest drives an http.Handler in tests and validates every response against
// api/openapi.yaml: an undocumented status, header or body shape fails the test.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/inkwell-cms/inkwell/api"
)

var (
	loadOnce sync.Once
	doc      *openapi3.T
	router   routers.Router
	loadErr  error
)

// Spec returns the parsed and validated contract and its router.
func Spec(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	loadOnce.Do(func() {
		// The reference page's assets are opaque files to the validator.
		for _, ct := range []string{"application/javascript", "text/javascript", "text/css", "image/png", "text/html"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		loader := openapi3.NewLoader()
		doc, loadErr = loader.LoadFromData(api.OpenAPI)
		if loadErr != nil {
			return
		}
		if loadErr = doc.Validate(context.Background()); loadErr != nil {
			return
		}
		router, loadErr = gorillamux.NewRouter(doc)
	})
	if loadErr != nil {
		t.Fatalf("api/openapi.yaml is invalid: %v", loadErr)
	}
	return doc, router
}

// Client sends requests to a handler and checks the answers against the contract.
type Client struct {
	t       testing.TB
	handler http.Handler
	headers http.Header
	// allowServerError lets a test provoke a 5xx on purpose (a panic, a dead database).
	allowServerError bool
}

// AllowingServerErrors returns a copy that does not fail the test on a 5xx answer.
func (c *Client) AllowingServerErrors() *Client {
	cp := *c
	cp.allowServerError = true
	return &cp
}

// New returns a client for h.
func New(t testing.TB, h http.Handler) *Client {
	t.Helper()
	Spec(t)
	return &Client{t: t, handler: h, headers: http.Header{}}
}

// WithHeader returns a copy of the client that sends the header on every request.
func (c *Client) WithHeader(key, value string) *Client {
	cp := *c
	cp.headers = c.headers.Clone()
	cp.headers.Set(key, value)
	return &cp
}

// WithToken returns a copy sending Authorization: Bearer token.
func (c *Client) WithToken(token string) *Client {
	return c.WithHeader("Authorization", "Bearer "+token)
}

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d response %q: %v", r.Status, r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Code returns the problem code of an error response.
func (r *Response) Code(t testing.TB) string {
	t.Helper()
	code, _ := r.Map(t)["code"].(string)
	return code
}

// Do sends a request. body may be nil, a string or []byte (sent as is) or any value (sent as JSON).
// headers are key, value pairs. The response is validated against the contract.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			c.t.Fatalf("encode request body: %v", err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.headers {
		req.Header[k] = v
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, req)
	res := &Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	Validate(c.t, req, raw, res, c.allowServerError)
	return res
}

// Validate checks one exchange against the contract. A request to a path the contract does not
// have must be answered with a problem document.
// A 5xx fails the test unless allowServerError: bad input must never cause one.
func Validate(t testing.TB, req *http.Request, reqBody []byte, res *Response, allowServerError bool) {
	t.Helper()
	_, r := Spec(t)
	if res.Status >= http.StatusInternalServerError && !allowServerError {
		t.Errorf("%s %s answered %d: %s", req.Method, req.URL, res.Status, res.Body)
	}
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := r.FindRoute(vreq)
	if err != nil {
		checkProblem(t, req, res)
		return
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: res.Status,
		Header: res.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	input.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Errorf("%s %s: response %d does not match api/openapi.yaml: %v\nbody: %s", req.Method, req.URL, res.Status, err, truncate(res.Body))
	}
}

func checkProblem(t testing.TB, req *http.Request, res *Response) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("%s %s is not in api/openapi.yaml and answered %d %s, not a problem", req.Method, req.URL, res.Status, res.Header.Get("Content-Type"))
		return
	}
	doc, _ := Spec(t)
	var v any
	if err := json.Unmarshal(res.Body, &v); err != nil {
		t.Errorf("problem body is not JSON: %v", err)
		return
	}
	schema := doc.Components.Schemas["Problem"].Value
	if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("%s %s: problem body does not match the Problem schema: %v", req.Method, req.URL, err)
	}
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}
