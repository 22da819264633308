package bind

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// shapeKind is what the token walk expects of a JSON value.
type shapeKind uint8

const (
	shapeAny    shapeKind = iota // anything: a scalar, a custom unmarshaler, an interface
	shapeStruct                  // an object whose keys must be exactly the struct's json names
	shapeMap                     // an object with any keys, every value of shape elem
	shapeList                    // an array, every element of shape elem
)

// shape is the JSON shape of a Go type, as far as key names go: the exact json tag names of its
// structs, through pointers, slices, maps and Optional[T].
type shape struct {
	kind   shapeKind
	fields map[string]*shape // shapeStruct: exact json name → shape of the value
	elem   *shape            // shapeMap, shapeList
}

var (
	anyShape        = &shape{kind: shapeAny}
	shapes          sync.Map // reflect.Type → *shape
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
	optionalType    = reflect.TypeFor[optional]()
)

// optional is implemented by every Optional[T], so the walk looks through it to T.
type optional interface{ optionalValueType() reflect.Type }

// shapeOf returns the shape of t, built once per type.
func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := buildShape(t, map[reflect.Type]*shape{})
	actual, _ := shapes.LoadOrStore(t, s)
	return actual.(*shape)
}

// buildShape follows t; building records the struct shapes in progress, so recursive types end.
func buildShape(t reflect.Type, building map[reflect.Type]*shape) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(optionalType) {
		return buildShape(reflect.Zero(t).Interface().(optional).optionalValueType(), building)
	}
	if p := reflect.PointerTo(t); p.Implements(unmarshalerType) || p.Implements(textType) {
		return anyShape // it reads its own JSON; only depth, duplicates and UTF-8 are checked
	}
	switch t.Kind() {
	case reflect.Struct:
		if s, ok := building[t]; ok {
			return s
		}
		s := &shape{kind: shapeStruct, fields: map[string]*shape{}}
		building[t] = s
		addFields(s, t, building, 0)
		return s
	case reflect.Map:
		return &shape{kind: shapeMap, elem: buildShape(t.Elem(), building)}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return anyShape // []byte is a base64 string
		}
		return &shape{kind: shapeList, elem: buildShape(t.Elem(), building)}
	default:
		return anyShape
	}
}

// addFields records the json names of t's fields in s, promoting those of embedded structs as
// encoding/json does. A name it accepts that encoding/json does not is still refused by the strict
// decode that follows; the walk only has to refuse what encoding/json would wrongly accept.
func addFields(s *shape, t reflect.Type, building map[reflect.Type]*shape, depth int) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && depth < 16 {
				addFields(s, ft, building, depth+1)
				continue
			}
		}
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := s.fields[name]; !taken || depth == 0 {
			s.fields[name] = buildShape(f.Type, building)
		}
	}
}

// child is the shape of the value under key in an object of shape s; nil means no such field.
func (s *shape) child(key string) *shape {
	switch s.kind {
	case shapeStruct:
		return s.fields[key]
	case shapeMap:
		return s.elem
	default:
		return anyShape
	}
}

// suggest names the field key differs from only in case, for the error message.
func (s *shape) suggest(key string) string {
	for name := range s.fields {
		if strings.EqualFold(name, key) {
			return name
		}
	}
	return ""
}
