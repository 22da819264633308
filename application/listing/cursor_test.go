package listing_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/inkwell-cms/inkwell/application/listing"
)

func sameCursor(a, b *listing.Cursor) bool {
	if a.Order != b.Order || a.Text != b.Text || a.ID != b.ID || (a.Time == nil) != (b.Time == nil) {
		return false
	}
	return a.Time == nil || a.Time.Equal(*b.Time)
}

const order = "articles:-published_at"

func TestCursorRoundTripsEveryKind(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 1, 9, 30, 0, 123456789, time.UTC)
	cursors := map[string]listing.Cursor{
		"time and uuid": {Order: order, Time: &at, ID: "0190a5c0-0000-7000-8000-00000000000a"},
		"text":          {Order: "articles:title", Text: "Ünïcode — title ✓", ID: "0190a5c0-0000-7000-8000-00000000000b"},
		"undated":       {Order: order, ID: "0190a5c0-0000-7000-8000-00000000000c"},
		"id not a uuid": {Order: "revisions", ID: "17"},
		"upper-case id": {Order: "users", ID: "0190A5C0-0000-7000-8000-00000000000A"},
		"time and text": {Order: "x", Time: &at, Text: "t", ID: "y"},
	}
	for name, c := range cursors {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			encoded := c.Encode()
			if strings.ContainsAny(encoded, "+/=") {
				t.Fatalf("cursor %q is not base64url without padding", encoded)
			}
			got, err := listing.DecodeCursor(encoded, c.Order)
			if err != nil {
				t.Fatalf("decode %q: %v", encoded, err)
			}
			if !sameCursor(got, &c) {
				t.Fatalf("round trip: got %+v, want %+v", got, c)
			}
			if _, err := listing.DecodeCursor(encoded, c.Order+"x"); !errors.Is(err, listing.ErrInvalidCursor) {
				t.Fatalf("a cursor of %q continued another order: %v", c.Order, err)
			}
		})
	}
}

func TestDecodeCursorRefusesWhatTheAPIDidNotMake(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	good := listing.Cursor{Order: order, Time: &now, ID: uuid.NewString()}
	raw, err := base64.RawURLEncoding.DecodeString(good.Encode())
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"empty":         "",
		"not base64":    "%%%",
		"padded base64": good.Encode() + "==",
		"too short":     base64.RawURLEncoding.EncodeToString(raw[:5]),
		"truncated":     base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]),
		"extended":      base64.RawURLEncoding.EncodeToString(append(raw[:len(raw):len(raw)], 0)),
		"other order":   listing.Cursor{Order: "articles:title", Text: "x", ID: good.ID}.Encode(),
		"no order":      listing.Cursor{ID: good.ID}.Encode(),
		"no id":         listing.Cursor{Order: order, Text: "x"}.Encode(),
		"too long":      strings.Repeat("A", 4096),
	}
	for i := range raw {
		tampered := append([]byte(nil), raw...)
		tampered[i] ^= 0x20
		bad["byte "+string(rune('a'+i%26))+string(rune('0'+i/26))] = base64.RawURLEncoding.EncodeToString(tampered)
	}
	for name, s := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := listing.DecodeCursor(s, order)
			if !errors.Is(err, listing.ErrInvalidCursor) {
				t.Fatalf("DecodeCursor(%q) = %+v, %v; want invalid_cursor", s, c, err)
			}
		})
	}
}

func TestInvalidCursorNamesTheParameter(t *testing.T) {
	t.Parallel()
	e := listing.ErrInvalidCursor
	if e.Code != "invalid_cursor" || len(e.Fields) != 1 || e.Fields[0].Field != "cursor" {
		t.Fatalf("error = %+v", e)
	}
}

// validCursorText mirrors what a cursor may carry as a title or an id: text either database takes.
func validCursorText(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func FuzzCursorDecode(f *testing.F) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 5, time.UTC)
	f.Add(listing.Cursor{Order: order, Time: &now, ID: uuid.NewString()}.Encode(), order, true, now.Unix(), uint32(5), "", uuid.NewString())
	f.Add(listing.Cursor{Order: "articles:title", Text: "Hello", ID: "x"}.Encode(), "articles:title", false, int64(0), uint32(0), "Héllo wörld", "not-a-uuid")
	f.Add("AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "revisions", true, int64(-62135596800), uint32(999999999), "", "")
	f.Fuzz(func(t *testing.T, raw, ord string, withTime bool, secs int64, nanos uint32, text, id string) {
		// Whatever comes in either fails cleanly or decodes to a cursor that encodes back to itself.
		if c, err := listing.DecodeCursor(raw, ord); err == nil {
			again, err := listing.DecodeCursor(c.Encode(), ord)
			if err != nil || !sameCursor(again, c) {
				t.Fatalf("decoded %q to %+v, which re-encodes to %+v, %v", raw, c, again, err)
			}
		} else if !errors.Is(err, listing.ErrInvalidCursor) {
			t.Fatalf("DecodeCursor(%q): %v, want invalid_cursor", raw, err)
		}

		// Every cursor the API can make decodes to itself.
		c := listing.Cursor{Order: ord, Text: text, ID: id}
		if withTime && secs >= -62135596800 && secs <= 253402300799 && nanos < uint32(time.Second) {
			tm := time.Unix(secs, int64(nanos)).UTC()
			c.Time = &tm
		}
		got, err := listing.DecodeCursor(c.Encode(), ord)
		_, uuidErr := uuid.Parse(id)
		idOK := id != "" && (validCursorText(id, 64) || (uuidErr == nil && uuid.MustParse(id).String() == id))
		if want := idOK && ord != "" && validCursorText(ord, 64) && validCursorText(c.Text, 800); want != (err == nil) {
			t.Fatalf("cursor %+v: decode error %v, want success %v", c, err, want)
		}
		if err == nil && !sameCursor(got, &c) {
			t.Fatalf("round trip of %+v gave %+v", c, got)
		}
	})
}
