// Package bind decodes request bodies and query strings strictly: a request the API does not
// understand is refused with a 400 problem instead of being half-read. Malformed JSON, unknown
// fields, a wrong type, trailing data and unknown query parameters are all shared.KindInvalidInput
// errors with a stable code; a body over the limit keeps its *http.MaxBytesError (413).
package bind

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Stable codes of the errors bind returns.
const (
	CodeInvalidJSON      = "invalid_json"
	CodeUnknownField     = "unknown_field"
	CodeUnknownParameter = "unknown_parameter"
	CodeInvalidParameter = "invalid_parameter"
)

// JSON decodes the request body, which must be exactly one JSON value, into dst (a pointer to a
// struct). Fields dst does not have are refused.
func JSON(c *gin.Context, dst any) error {
	if c.Request.Body == nil {
		return invalidJSON("the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	// A second value, or anything but whitespace after the first, means the client sent something
	// other than what it thinks; refusing it beats silently ignoring the rest.
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return err
		}
		return invalidJSON("the body has more data after the JSON value")
	}
	return nil
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
	case errors.Is(err, io.EOF):
		return invalidJSON("the request body is empty; send a JSON object")
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
		return shared.InvalidInput(CodeUnknownField, "unknown field "+field+"; see /openapi.yaml for the accepted fields")
	default:
		return invalidJSON("the body is not valid JSON for this endpoint")
	}
}

func invalidJSON(msg string) error { return shared.InvalidInput(CodeInvalidJSON, msg) }

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
	for name := range c.Request.URL.Query() {
		known := false
		for _, a := range allowed {
			known = known || a == name
		}
		if !known {
			accepts := "takes no query parameters"
			if len(allowed) > 0 {
				accepts = "accepts " + strings.Join(allowed, ", ")
			}
			return shared.InvalidInput(CodeUnknownParameter, fmt.Sprintf("unknown query parameter %q; this endpoint %s", name, accepts))
		}
	}
	return nil
}

// IntQuery returns the query parameter name as an integer in [lowest, highest], or def when it is
// absent. Not a number is a 400; a number out of range is a 422 on the parameter, as DESIGN.md's
// limit (1–100) asks.
func IntQuery(c *gin.Context, name string, lowest, highest, def int) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, shared.InvalidInput(CodeInvalidParameter, fmt.Sprintf("query parameter %q must be a whole number", name))
	}
	if n < lowest || n > highest {
		return 0, shared.Validation(shared.FieldError{Field: name, Message: fmt.Sprintf("must be %d to %d", lowest, highest)})
	}
	return n, nil
}
