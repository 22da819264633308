package bind

import (
	"bytes"
	"encoding/json"
)

// Optional is a field of a JSON merge patch (RFC 7396), which has three states a pointer cannot
// tell apart: absent (leave it), null (clear it) and a value (set it).
type Optional[T any] struct {
	Set   bool // the field was in the body
	Null  bool // and it was null
	Value T
}

// UnmarshalJSON runs only when the field is present, null included.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}
