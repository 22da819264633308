package bind

import "fmt"

// The lexical part of walker: whitespace, strings, numbers and literals, as RFC 8259 has them.

func (w *walker) space() {
	for w.pos < len(w.raw) {
		switch w.raw[w.pos] {
		case ' ', '\t', '\r', '\n':
			w.pos++
		default:
			return
		}
	}
}

// str scans the string at pos (its opening quote) and returns it with its quotes, and whether it
// has an escape.
func (w *walker) str() (raw []byte, escaped bool, err error) {
	start := w.pos
	w.pos++
	for w.pos < len(w.raw) {
		for w.pos < len(w.raw) && !stringStop[w.raw[w.pos]] {
			w.pos++ // the common case, kept to one table look-up a byte
		}
		if w.pos >= len(w.raw) {
			break
		}
		c := w.raw[w.pos]
		switch {
		case c == '"':
			w.pos++
			return w.raw[start:w.pos], escaped, nil
		case c < 0x20:
			return nil, false, w.malformed(w.pos)
		case c == '\\':
			escaped = true
			if w.pos+1 >= len(w.raw) {
				return nil, false, invalidJSON("the JSON ends too early")
			}
			switch w.raw[w.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				w.pos += 2
			case 'u':
				if w.pos+6 > len(w.raw) {
					return nil, false, invalidJSON("the JSON ends too early")
				}
				for _, h := range w.raw[w.pos+2 : w.pos+6] {
					if !isHex(h) {
						return nil, false, w.malformed(w.pos)
					}
				}
				w.pos += 6
			default:
				return nil, false, w.malformed(w.pos + 1)
			}
		default:
			w.pos++
		}
	}
	return nil, false, invalidJSON("the JSON ends too early")
}

// number scans -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (w *walker) number() error {
	if w.peek() == '-' {
		w.pos++
	}
	switch c := w.peek(); {
	case c == '0':
		w.pos++
	case c >= '1' && c <= '9':
		w.digits()
	default:
		return w.malformedOrShort()
	}
	if w.peek() == '.' {
		w.pos++
		if !isDigit(w.peek()) {
			return w.malformedOrShort()
		}
		w.digits()
	}
	if c := w.peek(); c == 'e' || c == 'E' {
		w.pos++
		if c := w.peek(); c == '+' || c == '-' {
			w.pos++
		}
		if !isDigit(w.peek()) {
			return w.malformedOrShort()
		}
		w.digits()
	}
	return nil
}

func (w *walker) literal(lit string) error {
	for i := range len(lit) {
		if w.pos >= len(w.raw) {
			return invalidJSON("the JSON ends too early")
		}
		if w.raw[w.pos] != lit[i] {
			return w.malformed(w.pos)
		}
		w.pos++
	}
	return nil
}

func (w *walker) digits() {
	for isDigit(w.peek()) {
		w.pos++
	}
}

// peek is the byte at pos, or 0 at the end.
func (w *walker) peek() byte {
	if w.pos < len(w.raw) {
		return w.raw[w.pos]
	}
	return 0
}

func (w *walker) malformedOrShort() error {
	if w.pos >= len(w.raw) {
		return invalidJSON("the JSON ends too early")
	}
	return w.malformed(w.pos)
}

// malformed refuses the byte at offset (0-based), counted from 1 in the message as editors do.
func (w *walker) malformed(offset int) error {
	return invalidJSON(fmt.Sprintf("malformed JSON at byte %d", offset+1))
}

// stringStop marks the bytes a string scan must look at: its end, an escape, a control character.
var stringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
