package article_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	articleapp "github.com/inkwell-cms/inkwell/application/article"
)

var cursorSorts = []articleapp.Sort{
	articleapp.SortPublishedDesc, articleapp.SortPublishedAsc, articleapp.SortTitleAsc,
	articleapp.SortTitleDesc, articleapp.SortUpdatedDesc, articleapp.SortCreatedDesc,
}

func isTitleSort(s articleapp.Sort) bool {
	return s == articleapp.SortTitleAsc || s == articleapp.SortTitleDesc
}

func sameCursor(a, b *articleapp.Cursor) bool {
	if a.Sort != b.Sort || a.Title != b.Title || a.ID != b.ID || (a.Time == nil) != (b.Time == nil) {
		return false
	}
	return a.Time == nil || a.Time.Equal(*b.Time)
}

func TestCursorAfterRoundTripsForEverySort(t *testing.T) {
	t.Parallel()
	published := time.Date(2025, 3, 1, 9, 30, 0, 123456789, time.UTC)
	summaries := map[string]articleapp.ArticleSummary{
		"published": {
			ID: "0190a5c0-0000-7000-8000-00000000000a", Title: "Ünïcode — title ✓", PublishedAt: &published,
			CreatedAt: published.Add(-time.Hour), UpdatedAt: published.Add(time.Hour),
		},
		"undated draft": {ID: "0190a5c0-0000-7000-8000-00000000000b", Title: "Draft", CreatedAt: published, UpdatedAt: published},
		"id not a uuid": {ID: "legacy-id", Title: "", CreatedAt: published, UpdatedAt: published},
	}
	for name, s := range summaries {
		for _, sort := range cursorSorts {
			t.Run(name+"/"+string(sort), func(t *testing.T) {
				t.Parallel()
				c := articleapp.CursorAfter(sort, s)
				encoded := c.Encode()
				if strings.ContainsAny(encoded, "+/=") {
					t.Fatalf("cursor %q is not base64url without padding", encoded)
				}
				got, err := articleapp.DecodeCursor(encoded)
				if err != nil {
					t.Fatalf("decode %q: %v", encoded, err)
				}
				if !sameCursor(got, c) {
					t.Fatalf("round trip: got %+v, want %+v", got, c)
				}
				wantKey := map[articleapp.Sort]*time.Time{
					articleapp.SortPublishedDesc: s.PublishedAt, articleapp.SortPublishedAsc: s.PublishedAt,
					articleapp.SortUpdatedDesc: &s.UpdatedAt, articleapp.SortCreatedDesc: &s.CreatedAt,
				}[sort]
				if isTitleSort(sort) && (got.Title != s.Title || got.Time != nil) ||
					!isTitleSort(sort) && (got.Title != "" || (wantKey == nil) != (got.Time == nil) || (wantKey != nil && !wantKey.Equal(*got.Time))) {
					t.Fatalf("cursor keeps the wrong key for %s: %+v", sort, got)
				}
			})
		}
	}
}

func TestDecodeCursorRefusesWhatTheAPIDidNotMake(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	good := articleapp.Cursor{Sort: articleapp.SortPublishedDesc, Time: &now, ID: uuid.NewString()}
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
		"relevance":     articleapp.Cursor{Sort: articleapp.SortRelevance, ID: good.ID}.Encode(),
		"unknown sort":  articleapp.Cursor{Sort: "-views", ID: good.ID}.Encode(),
		"no id":         articleapp.Cursor{Sort: articleapp.SortTitleAsc, Title: "x"}.Encode(),
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
			c, err := articleapp.DecodeCursor(s)
			if !errors.Is(err, articleapp.ErrInvalidCursor) {
				t.Fatalf("DecodeCursor(%q) = %+v, %v; want invalid_cursor", s, c, err)
			}
		})
	}
}

func TestInvalidCursorNamesTheParameter(t *testing.T) {
	t.Parallel()
	e := articleapp.ErrInvalidCursor
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
	f.Add(articleapp.Cursor{Sort: articleapp.SortPublishedDesc, Time: &now, ID: uuid.NewString()}.Encode(), byte(0), now.Unix(), uint32(5), "", uuid.NewString())
	f.Add(articleapp.Cursor{Sort: articleapp.SortTitleAsc, Title: "Hello", ID: "x"}.Encode(), byte(2), int64(0), uint32(0), "Héllo wörld", "not-a-uuid")
	f.Add("AQEDAAAAAAAAAAAAAAAAAAAAAAAAAAA", byte(5), int64(-62135596800), uint32(999999999), "", "")
	f.Fuzz(func(t *testing.T, raw string, sortCode byte, secs int64, nanos uint32, title, id string) {
		// Whatever comes in either fails cleanly or decodes to a cursor that encodes back to itself.
		if c, err := articleapp.DecodeCursor(raw); err == nil {
			again, err := articleapp.DecodeCursor(c.Encode())
			if err != nil || !sameCursor(again, c) {
				t.Fatalf("decoded %q to %+v, which re-encodes to %+v, %v", raw, c, again, err)
			}
		} else if !errors.Is(err, articleapp.ErrInvalidCursor) {
			t.Fatalf("DecodeCursor(%q): %v, want invalid_cursor", raw, err)
		}

		// Every cursor the API can make decodes to itself.
		sort := cursorSorts[int(sortCode)%len(cursorSorts)]
		c := articleapp.Cursor{Sort: sort, ID: id}
		if isTitleSort(sort) {
			c.Title = title
		} else if secs >= -62135596800 && secs <= 253402300799 && nanos < uint32(time.Second) {
			tm := time.Unix(secs, int64(nanos)).UTC()
			c.Time = &tm
		}
		got, err := articleapp.DecodeCursor(c.Encode())
		_, uuidErr := uuid.Parse(id)
		idOK := id != "" && (validCursorText(id, 64) || (uuidErr == nil && uuid.MustParse(id).String() == id))
		if want := idOK && validCursorText(c.Title, 800); want != (err == nil) {
			t.Fatalf("cursor %+v: decode error %v, want success %v", c, err, want)
		}
		if err == nil && !sameCursor(got, &c) {
			t.Fatalf("round trip of %+v gave %+v", c, got)
		}
	})
}
