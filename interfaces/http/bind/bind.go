// Package bind decodes request bodies and query strings strictly: a request the API does not
// understand is refused with a 400 problem instead of being half-read. Malformed JSON, unknown
// fields (compared case-sensitively), a wrong type, trailing data, duplicate keys, nesting deeper
// than MaxDepth, invalid UTF-8, an empty body and unknown query parameters are all
// shared.KindMalformed errors with a stable code; a body over the limit keeps its
// *http.MaxBytesError (413).
package bind

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Stable codes of the errors bind returns.
const (
	CodeInvalidJSON      = "invalid_json"
	CodeUnknownField     = "unknown_field"
	CodeDuplicateKey     = "duplicate_key"
	CodeTooDeep          = "json_too_deep"
	CodeInvalidUTF8      = "invalid_utf8"
	CodeEmptyBody        = "empty_body"
	CodeUnknownParameter = "unknown_parameter"
	CodeInvalidParameter = "invalid_parameter"
)

// JSON decodes the request body, which must be exactly one JSON value, into dst (a pointer to a
// struct, which makes the body a JSON object). Before anything is decoded, the body must be valid
// UTF-8 and pass walk: at most MaxDepth levels deep, no duplicate keys, every key exactly a json
// name of dst's structs. Then it is decoded strictly, so fields dst does not have are refused.
func JSON(c *gin.Context, dst any) error {
	if c.Request.Body == nil {
		return emptyBody()
	}
	raw, err := readBody(c.Request.Body, c.Request.ContentLength)
	if err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return err
		}
		return invalidJSON("the request body could not be read")
	}
	return decode(raw, dst)
}

// readBody reads r whole, in one allocation when the declared length is right. The declared length
// only sizes the buffer, up to a bound: the body limit middleware is what caps the reading.
func readBody(r io.Reader, declared int64) ([]byte, error) {
	size := int64(512)
	if declared > 0 && declared < 1<<20 {
		size = declared + 1 // one more, so the read that finds the end needs no growth
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// decode is JSON on a body already read.
func decode(raw []byte, dst any) error {
	if len(bytes.TrimLeft(raw, " \t\r\n")) == 0 {
		return emptyBody()
	}
	if !utf8.Valid(raw) {
		return refuse(CodeInvalidUTF8, "the body is not valid UTF-8")
	}
	top := anyShape
	if t := reflect.TypeOf(dst); t != nil {
		top = shapeOf(t)
	}
	if err := walk(raw, top); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err) // walk has refused the syntax errors and the trailing data
	}
	return nil
}

func emptyBody() error {
	return refuse(CodeEmptyBody, "the request body is empty; send a JSON object")
}

func decodeError(err error) error {
	var (
		maxBytes  *http.MaxBytesError
		syntax    *json.SyntaxError
		wrongType *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxBytes):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidJSON("the JSON ends too early")
	case errors.As(err, &syntax):
		return invalidJSON(fmt.Sprintf("malformed JSON at byte %d", syntax.Offset))
	case errors.As(err, &wrongType):
		if wrongType.Field == "" {
			return invalidJSON("the body must be a JSON " + jsonKind(wrongType.Type))
		}
		return invalidJSON(fmt.Sprintf("field %q must be a JSON %s", wrongType.Field, jsonKind(wrongType.Type)))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this; the message format is stable since Go 1.10.
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return shared.Malformed(CodeUnknownField, "unknown field "+field+"; see /openapi.yaml for the accepted fields")
	default:
		return invalidJSON("the body is not valid JSON for this endpoint")
	}
}

func invalidJSON(msg string) error { return shared.Malformed(CodeInvalidJSON, msg) }

func refuse(code, msg string) error { return shared.Malformed(code, msg) }

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	default:
		return "object"
	}
}

// QueryParams refuses any query parameter not in allowed, so a misspelt filter is an error instead
// of an unfiltered answer.
func QueryParams(c *gin.Context, allowed ...string) error {
	return AllowParams(c.Request.URL.Query(), allowed, nil)
}

// AllowParams refuses a parameter not in allowed (400 unknown_parameter), and a parameter given twice
// unless repeatable says it may be (400 invalid_parameter); the field error names the parameter.
func AllowParams(values url.Values, allowed []string, repeatable map[string]bool) error {
	for name, vs := range values {
		if !slices.Contains(allowed, name) {
			accepts := "takes no query parameters"
			if len(allowed) > 0 {
				accepts = "accepts " + strings.Join(allowed, ", ")
			}
			e := shared.Malformed(CodeUnknownParameter, fmt.Sprintf("unknown query parameter %q; this endpoint %s", name, accepts))
			e.Fields = []shared.FieldError{{Field: name, Message: "is not a parameter of this endpoint"}}
			return e
		}
		if len(vs) > 1 && !repeatable[name] {
			return listing.InvalidParameter(name, "may be given only once")
		}
	}
	return nil
}
