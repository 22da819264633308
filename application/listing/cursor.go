package listing

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Cursor is the position just after the last item of a page in one order of one list: that item's
// sort key (a time, a text, or none when the list is ordered by id alone) and its id, which breaks
// ties. Lists continue from it with a keyset condition, never an offset, so pages neither skip nor
// repeat items when items are added or removed in between.
type Cursor struct {
	// Order names the list and its sort ("articles:-published_at", "users"); a cursor continues only
	// the order it was made for.
	Order string
	// Time is the last item's key in a time order; nil when it has none (an undated draft).
	Time *time.Time
	// Text is the last item's key in a text order (a title, a name).
	Text string
	ID   string
}

// The encoding: format, flags, the order (uvarint length and bytes), the time (varint seconds and
// uvarint nanoseconds) when flagged, the text (uvarint length and bytes) when flagged, the id (16
// bytes when it is a UUID, else uvarint length and bytes), then a CRC-32C of everything before it;
// base64url without padding. The checksum catches cut or edited cursors. It is not a signature: a
// forged cursor with a good checksum can only point at another position of the same list, which its
// holder may read anyway.
const (
	cursorFormat    = 2
	flagTime        = 1 << 0
	flagUUID        = 1 << 1
	flagText        = 1 << 2
	maxCursorLength = 2048 // characters of the encoded cursor
	maxOrderBytes   = 64
	maxTextBytes    = 4 * 200
	maxIDBytes      = 64
	// Times stay within years 1 to 9999, which both databases store.
	minUnix = -62135596800
	maxUnix = 253402300799
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Encode renders the cursor as the opaque string the API hands out.
func (c Cursor) Encode() string {
	flags := byte(0)
	if c.Time != nil {
		flags |= flagTime
	}
	if c.Text != "" {
		flags |= flagText
	}
	id, idErr := uuid.Parse(c.ID)
	isUUID := idErr == nil && id.String() == c.ID
	if isUUID {
		flags |= flagUUID
	}
	buf := appendString([]byte{cursorFormat, flags}, c.Order)
	if c.Time != nil {
		buf = binary.AppendVarint(buf, c.Time.Unix())
		buf = binary.AppendUvarint(buf, uint64(c.Time.Nanosecond()))
	}
	if c.Text != "" {
		buf = appendString(buf, c.Text)
	}
	if isUUID {
		buf = append(buf, id[:]...)
	} else {
		buf = appendString(buf, c.ID)
	}
	buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(buf, crcTable))
	return base64.RawURLEncoding.EncodeToString(buf)
}

// EncodeOrNil is Encode for an optional cursor (nil on the last page).
func EncodeOrNil(c *Cursor) *string {
	if c == nil {
		return nil
	}
	s := c.Encode()
	return &s
}

func appendString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// DecodeCursor reads a cursor the API handed out for order. Anything else — garbage, a cut or
// edited cursor, one of another list or sort — is ErrInvalidCursor.
func DecodeCursor(s, order string) (*Cursor, error) {
	if len(s) > maxCursorLength {
		return nil, ErrInvalidCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 3+4 {
		return nil, ErrInvalidCursor
	}
	body, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	if crc32.Checksum(body, crcTable) != binary.BigEndian.Uint32(sum) {
		return nil, ErrInvalidCursor
	}
	c, err := parse(body)
	if err != nil || c.Order != order {
		return nil, ErrInvalidCursor
	}
	return c, nil
}

var errMalformed = errors.New("malformed cursor")

func parse(b []byte) (*Cursor, error) {
	if b[0] != cursorFormat || b[1]&^(flagTime|flagUUID|flagText) != 0 {
		return nil, errMalformed
	}
	flags, r := b[1], reader{b: b[2:]}
	c := &Cursor{Order: r.text(maxOrderBytes)}
	if flags&flagTime != 0 {
		secs, nanos := r.varint(), r.uvarint()
		if nanos >= uint64(time.Second) || secs < minUnix || secs > maxUnix {
			return nil, errMalformed
		}
		t := time.Unix(secs, int64(nanos)).UTC()
		c.Time = &t
	}
	if flags&flagText != 0 {
		if c.Text = r.text(maxTextBytes); c.Text == "" {
			return nil, errMalformed
		}
	}
	if flags&flagUUID != 0 {
		if id, err := uuid.FromBytes(r.bytes(16)); err == nil {
			c.ID = id.String()
		}
	} else {
		c.ID = r.text(maxIDBytes)
	}
	if r.err || len(r.b) != 0 || c.ID == "" || c.Order == "" {
		return nil, errMalformed
	}
	return c, nil
}

// reader consumes the fields of an encoded cursor; the first malformed field sets err and every
// later read returns zero values.
type reader struct {
	b   []byte
	err bool
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if !r.skip(n) {
		return 0
	}
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if !r.skip(n) {
		return 0
	}
	return v
}

// skip moves past a varint of n bytes (n <= 0: none could be read).
func (r *reader) skip(n int) bool {
	if r.err || n <= 0 {
		r.err = true
		return false
	}
	r.b = r.b[n:]
	return true
}

func (r *reader) bytes(n int) []byte {
	if r.err || len(r.b) < n {
		r.err = true
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// text reads a length-prefixed string of at most max bytes: valid UTF-8 without NUL, so it can be
// sent to either database as it is.
func (r *reader) text(max int) string {
	n := r.uvarint()
	if n > uint64(max) {
		r.err = true
		return ""
	}
	s := string(r.bytes(int(n)))
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		r.err = true
		return ""
	}
	return s
}
