package bind

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// Optional is a field of a JSON merge patch (RFC 7396), which has three states a pointer cannot
// tell apart: absent (leave it), null (clear it) and a value (set it).
type Optional[T any] struct {
	Set   bool // the field was in the body
	Null  bool // and it was null
	Value T
}

// UnmarshalJSON runs only when the field is present, null included. Each call decides the state
// afresh, so a second value for the field cannot leave a stale Null (bind.JSON refuses duplicate
// keys before decoding anyway).
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	var zero T
	o.Set, o.Null, o.Value = true, false, zero
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// optionalValueType lets the strict walk check the keys of T's JSON.
func (Optional[T]) optionalValueType() reflect.Type { return reflect.TypeFor[T]() }
