package bind

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// MaxDepth is the deepest nesting of objects and arrays a body may have.
const MaxDepth = 32

// smallObject is how many keys an object's duplicate check compares one by one before it builds
// a map, so an object with thousands of keys costs linear time, not quadratic.
const smallObject = 16

// frame is one open object or array of the walk.
type frame struct {
	object   bool
	shape    *shape
	key      []byte // object: the key of the current value
	index    int    // array: the index of the current element
	keyStart int    // object: where its keys start in walker.keys
	set      map[string]struct{}
}

// walker scans a body once, without recursion, before it is decoded. It checks what the strict
// decode cannot: depth, duplicate keys and the exact case of keys. Its syntax check is complete,
// so a body that passes is exactly one JSON value.
type walker struct {
	raw   []byte
	pos   int
	stack []frame
	keys  [][]byte // the keys of every open object, innermost last

	stackBuf [8]frame // the first levels and keys need no allocation
	keyBuf   [2 * smallObject][]byte
}

// walk checks raw before it is decoded into a value of shape top: one JSON value and nothing
// after it, at most MaxDepth levels deep, no object with a key twice, and every key of a struct
// exactly one of its json names (encoding/json would also take "Title" for "title"). It stops at
// the first problem, so a body 5,000 levels deep costs 33 bytes of scanning.
func walk(raw []byte, top *shape) error {
	w := &walker{raw: raw}
	w.stack, w.keys = w.stackBuf[:0], w.keyBuf[:0]
	w.space()
	if (top.kind == shapeStruct || top.kind == shapeMap) && (w.pos >= len(raw) || raw[w.pos] != '{') {
		return invalidJSON("the body must be a JSON object")
	}
	next := top
	for {
		// A value starts here; an opened container's first value comes right after it.
		open, err := w.value(next)
		if err != nil {
			return err
		}
		if open {
			next = w.stack[len(w.stack)-1].valueShape()
			continue
		}
		// After a value, close every container it completes, then find the next value.
		for {
			if len(w.stack) == 0 {
				if w.space(); w.pos < len(raw) {
					return invalidJSON("the body has more data after the JSON value")
				}
				return nil
			}
			cur := &w.stack[len(w.stack)-1]
			w.space()
			if w.pos >= len(raw) {
				return invalidJSON("the JSON ends too early")
			}
			c := raw[w.pos]
			w.pos++
			if c == ',' {
				if cur.object {
					if err := w.key(); err != nil {
						return err
					}
				} else {
					cur.index++
				}
				next = w.stack[len(w.stack)-1].valueShape()
				break
			}
			if (cur.object && c == '}') || (!cur.object && c == ']') {
				w.pop()
				continue
			}
			return w.malformed(w.pos - 1)
		}
	}
}

// value scans the value at pos. A container it only opens (and reads its first key), and reports
// so, rather than scanning into it: the walk stays flat. An empty container is closed at once.
func (w *walker) value(s *shape) (open bool, err error) {
	w.space()
	if w.pos >= len(w.raw) {
		return false, invalidJSON("the JSON ends too early")
	}
	c := w.raw[w.pos]
	switch {
	case c == '{' || c == '[':
		if len(w.stack) == MaxDepth {
			return false, refuse(CodeTooDeep, fmt.Sprintf("the JSON is nested deeper than %d levels", MaxDepth))
		}
		object := c == '{'
		switch {
		case object && (s.kind == shapeStruct || s.kind == shapeMap), !object && s.kind == shapeList:
		default:
			s = anyShape // not the container expected: the decode names the wrong type
		}
		w.pos++
		w.stack = append(w.stack, frame{object: object, shape: s, keyStart: len(w.keys)})
		w.space()
		if w.pos < len(w.raw) && w.raw[w.pos] == "]}"[b2i(object)] {
			w.pos++
			w.pop()
			return false, nil
		}
		if object {
			return true, w.key()
		}
		return true, nil
	case c == '"':
		_, _, err = w.str()
	case c == 't':
		err = w.literal("true")
	case c == 'f':
		err = w.literal("false")
	case c == 'n':
		err = w.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		err = w.number()
	default:
		err = w.malformed(w.pos)
	}
	return false, err
}

// key reads `"key":` in the innermost object and checks it.
func (w *walker) key() error {
	w.space()
	if w.pos >= len(w.raw) {
		return invalidJSON("the JSON ends too early")
	}
	if w.raw[w.pos] != '"' {
		return w.malformed(w.pos)
	}
	key, escaped, err := w.str()
	if err != nil {
		return err
	}
	if escaped {
		var s string
		if json.Unmarshal(key, &s) != nil {
			return w.malformed(w.pos - 1)
		}
		key = []byte(s)
	} else {
		key = key[1 : len(key)-1]
	}
	w.space()
	if w.pos >= len(w.raw) {
		return invalidJSON("the JSON ends too early")
	}
	if w.raw[w.pos] != ':' {
		return w.malformed(w.pos)
	}
	w.pos++
	cur := &w.stack[len(w.stack)-1]
	cur.key = key
	if w.seen(cur, key) {
		return refuse(CodeDuplicateKey, fmt.Sprintf("the key %q appears more than once; send each field once", w.path()))
	}
	if cur.shape.kind == shapeStruct && cur.shape.fields[string(key)] == nil {
		if hint := cur.shape.suggest(string(key)); hint != "" {
			return refuse(CodeUnknownField, fmt.Sprintf("unknown field %q; field names are case-sensitive: did you mean %q?", w.path(), hint))
		}
		return refuse(CodeUnknownField, fmt.Sprintf("unknown field %q; see /openapi.yaml for the accepted fields", w.path()))
	}
	return nil
}

// seen records key in the object f and reports whether f already had it.
func (w *walker) seen(f *frame, key []byte) bool {
	if f.set != nil {
		if _, dup := f.set[string(key)]; dup {
			return true
		}
		f.set[string(key)] = struct{}{}
		return false
	}
	for _, k := range w.keys[f.keyStart:] {
		if bytes.Equal(k, key) {
			return true
		}
	}
	w.keys = append(w.keys, key)
	if len(w.keys)-f.keyStart > smallObject {
		f.set = make(map[string]struct{}, 4*smallObject)
		for _, k := range w.keys[f.keyStart:] {
			f.set[string(k)] = struct{}{}
		}
		w.keys = w.keys[:f.keyStart]
	}
	return false
}

func (w *walker) pop() {
	f := w.stack[len(w.stack)-1]
	if f.object && f.set == nil {
		w.keys = w.keys[:f.keyStart]
	}
	w.stack = w.stack[:len(w.stack)-1]
}

// valueShape is the shape of the frame's current value.
func (f *frame) valueShape() *shape {
	if !f.object {
		if f.shape.kind == shapeList {
			return f.shape.elem
		}
		return anyShape
	}
	if s := f.shape.child(string(f.key)); s != nil {
		return s
	}
	return anyShape
}

// path names the current key, such as author.links[2].url.
func (w *walker) path() string {
	var b strings.Builder
	for _, f := range w.stack {
		switch {
		case !f.object:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		case b.Len() > 0:
			b.WriteByte('.')
			fallthrough
		default:
			b.Write(f.key)
		}
	}
	return b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
