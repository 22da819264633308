package article

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Cursor is the position just after the last item of a page in one sort order: that item's sort key
// and its id, which breaks ties. Lists continue from it with a keyset condition, never an offset,
// so pages neither skip nor repeat items when articles are added or removed in between.
type Cursor struct {
	Sort Sort
	// Time is the last item's key in a time sort; nil when it had none (an undated draft sorted by
	// published_at).
	Time *time.Time
	// Title is the last item's key in a title sort.
	Title string
	ID    string
}

// ErrInvalidCursor refuses a cursor this API did not make, or made for another sort.
var ErrInvalidCursor = &shared.Error{
	Kind:    shared.KindMalformed,
	Code:    "invalid_cursor",
	Message: "the cursor is not one this API returned for this sort; start again without it",
	Fields:  []shared.FieldError{{Field: "cursor", Message: "is not a cursor this API returned for this sort"}},
}

// CursorAfter is the cursor that continues a list in sort after the item s.
func CursorAfter(sort Sort, s ArticleSummary) *Cursor {
	c := &Cursor{Sort: sort, ID: s.ID}
	switch sort {
	case SortPublishedDesc, SortPublishedAsc:
		c.Time = copyTime(s.PublishedAt)
	case SortUpdatedDesc:
		c.Time = copyTime(&s.UpdatedAt)
	case SortCreatedDesc:
		c.Time = copyTime(&s.CreatedAt)
	case SortTitleAsc, SortTitleDesc:
		c.Title = s.Title
	}
	return c
}

// The encoding: format, sort code, flags, the key (a time as varint seconds and uvarint
// nanoseconds, or a title as uvarint length and bytes), the id (16 bytes when it is a UUID, else
// uvarint length and bytes), then a CRC-32C of everything before it; base64url without padding.
// The checksum catches cut or edited cursors. It is not a signature: a cursor forged with a good
// checksum can only point at another position of the same list, which anyone may read anyway.
const (
	cursorFormat      = 1
	flagTime          = 1 << 0
	flagUUID          = 1 << 1
	maxCursorLength   = 2048 // characters of the encoded cursor
	maxCursorKeyBytes = 4 * 200
	maxCursorIDBytes  = 64
	// Times stay within years 1 to 9999, which both databases store.
	minCursorUnix = -62135596800
	maxCursorUnix = 253402300799
)

var (
	cursorCRC   = crc32.MakeTable(crc32.Castagnoli)
	sortCodes   = map[Sort]byte{SortPublishedDesc: 1, SortPublishedAsc: 2, SortTitleAsc: 3, SortTitleDesc: 4, SortUpdatedDesc: 5, SortCreatedDesc: 6}
	titleSorted = map[Sort]bool{SortTitleAsc: true, SortTitleDesc: true}
)

// Encode renders the cursor as the opaque string the API hands out; only the key of its sort is
// kept. A cursor of a sort that has no cursors (relevance) encodes to a string DecodeCursor refuses.
func (c Cursor) Encode() string {
	withTime := c.Time != nil && !titleSorted[c.Sort]
	flags := byte(0)
	if withTime {
		flags |= flagTime
	}
	id, idErr := uuid.Parse(c.ID)
	isUUID := idErr == nil && id.String() == c.ID
	if isUUID {
		flags |= flagUUID
	}
	buf := []byte{cursorFormat, sortCodes[c.Sort], flags}
	if withTime {
		buf = binary.AppendVarint(buf, c.Time.Unix())
		buf = binary.AppendUvarint(buf, uint64(c.Time.Nanosecond()))
	}
	if titleSorted[c.Sort] {
		buf = appendString(buf, c.Title)
	}
	if isUUID {
		buf = append(buf, id[:]...)
	} else {
		buf = appendString(buf, c.ID)
	}
	buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(buf, cursorCRC))
	return base64.RawURLEncoding.EncodeToString(buf)
}

func appendString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// DecodeCursor reads a cursor the API handed out. Anything else is ErrInvalidCursor; ListQuery.
// Normalize also refuses a cursor of another sort than the query's.
func DecodeCursor(s string) (*Cursor, error) {
	if len(s) > maxCursorLength {
		return nil, ErrInvalidCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 3+4 {
		return nil, ErrInvalidCursor
	}
	body, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	if crc32.Checksum(body, cursorCRC) != binary.BigEndian.Uint32(sum) {
		return nil, ErrInvalidCursor
	}
	c, err := parseCursor(body)
	if err != nil {
		return nil, ErrInvalidCursor
	}
	return c, nil
}

var errMalformed = errors.New("malformed cursor")

func parseCursor(b []byte) (*Cursor, error) {
	if b[0] != cursorFormat || b[2]&^(flagTime|flagUUID) != 0 {
		return nil, errMalformed
	}
	c := &Cursor{}
	for sort, code := range sortCodes {
		if code == b[1] {
			c.Sort = sort
		}
	}
	flags, r := b[2], reader{b: b[3:]}
	if c.Sort == "" || (titleSorted[c.Sort] && flags&flagTime != 0) {
		return nil, errMalformed
	}
	if flags&flagTime != 0 {
		secs, nanos := r.varint(), r.uvarint()
		if nanos >= uint64(time.Second) || secs < minCursorUnix || secs > maxCursorUnix {
			return nil, errMalformed
		}
		t := time.Unix(secs, int64(nanos)).UTC()
		c.Time = &t
	}
	if titleSorted[c.Sort] {
		c.Title = r.text(maxCursorKeyBytes)
	}
	if flags&flagUUID != 0 {
		if id, err := uuid.FromBytes(r.bytes(16)); err == nil {
			c.ID = id.String()
		}
	} else {
		c.ID = r.text(maxCursorIDBytes)
	}
	if r.err || len(r.b) != 0 || c.ID == "" {
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

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
