package imaging_test

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	xwebp "golang.org/x/image/webp"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

// leaks lists byte strings from the fixtures' metadata that must not survive Strip.
var leaks = [][]byte{[]byte("InkPhon"), []byte("GPSLatitude"), []byte("xmpmeta"), []byte("Exif\x00\x00II"),
	{52, 0, 0, 0, 1, 0, 0, 0, 31, 0, 0, 0}, []byte("Someone"), []byte("XMP DataXMP")}

func assertNoLeak(t *testing.T, out []byte) {
	t.Helper()
	for _, l := range leaks {
		if bytes.Contains(out, l) {
			t.Errorf("stripped output still contains %q", l)
		}
	}
}

func samePixels(t *testing.T, a, b image.Image) {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("bounds %v != %v", a.Bounds(), b.Bounds())
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				t.Fatalf("pixel %d,%d differs: %v != %v", x, y, a.At(x, y), b.At(x, y))
			}
		}
	}
}

// The upright JPEG loses EXIF (GPS with it) and XMP; the comment, the tables and the scan are the
// original's byte for byte.
func TestStripJPEG(t *testing.T) {
	t.Parallel()
	plain := encodeJPEG(t, pattern(40, 30))
	comment := jpegSegment(0xFE, []byte("a comment that stays"))
	for _, c := range []struct {
		orientation int
		want        []byte
	}{
		{1, concat(plain[:2], comment, plain[2:])},
		// orientation 6 stays, alone in a big-endian TIFF: what a viewer needs to turn it upright
		{6, concat(plain[:2], jpegSegment(0xE1, concat([]byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01"),
			[]byte{0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0})), comment, plain[2:])},
	} {
		in := withJPEGMetadata(plain, c.orientation)
		out, err := imaging.Strip(imaging.MIMEJPEG, in)
		if err != nil {
			t.Fatal(err)
		}
		assertNoLeak(t, out)
		if !bytes.Equal(out, c.want) {
			t.Fatalf("orientation %d: stripped bytes differ from the expected %d bytes (got %d)", c.orientation, len(c.want), len(out))
		}
		before, err1 := jpeg.Decode(bytes.NewReader(in))
		after, err2 := jpeg.Decode(bytes.NewReader(out))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		samePixels(t, before, after)
		if info, err := imaging.Probe(imaging.MIMEJPEG, out); err != nil || info.Orientation != c.orientation {
			t.Fatalf("Probe after Strip = %+v, %v", info, err)
		}
	}
}

func TestStripPNGGIFWebPAVIF(t *testing.T) {
	t.Parallel()
	img := pattern(40, 30)
	p := encodePNG(t, img)
	g := encodeGIF(t, img)

	out, err := imaging.Strip(imaging.MIMEPNG, withPNGMetadata(p))
	if err != nil || !bytes.Equal(out, p) {
		t.Fatalf("png: %v; equal to the original without its chunks: %v", err, bytes.Equal(out, p))
	}
	a, _ := png.Decode(bytes.NewReader(withPNGMetadata(p)))
	b, _ := png.Decode(bytes.NewReader(out))
	samePixels(t, a, b)

	out, err = imaging.Strip(imaging.MIMEGIF, gifWithMetadata(g))
	if err != nil || !bytes.Equal(out, g) {
		t.Fatalf("gif: %v; equal to the original without its extensions: %v", err, bytes.Equal(out, g))
	}
	if _, err := gif.Decode(bytes.NewReader(out)); err != nil {
		t.Fatal(err)
	}

	w := encodeWebP(t, img, false)
	in := withWebPMetadata(t, w, 40, 30)
	out, err = imaging.Strip(imaging.MIMEWebP, in)
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, out)
	// what is left: RIFF header (size fixed), VP8X with the EXIF and XMP flags cleared, the VP8 chunk
	want := concat([]byte("RIFF"), le32(uint32(4+18+len(w)-12)), []byte("WEBPVP8X"), le32(10),
		[]byte{0, 0, 0, 0, 39, 0, 0, 29, 0, 0}, w[12:])
	if !bytes.Equal(out, want) {
		t.Fatalf("webp: stripped %d bytes, want %d", len(out), len(want))
	}
	a, err1 := xwebp.Decode(bytes.NewReader(w))
	b, err2 := xwebp.Decode(bytes.NewReader(out))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	samePixels(t, a, b)
	if same, err := imaging.Strip(imaging.MIMEWebP, w); err != nil || !bytes.Equal(same, w) {
		t.Fatalf("simple webp changed: %v", err)
	}

	av, exifAt, exifLen := avifWithExif(64, 48)
	out, err = imaging.Strip(imaging.MIMEAVIF, av)
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, out)
	if len(out) != len(av) || !bytes.Equal(out[:exifAt], av[:exifAt]) || !bytes.Equal(out[exifAt+exifLen:], av[exifAt+exifLen:]) {
		t.Fatal("avif: bytes outside the Exif item changed")
	}
	if !bytes.Equal(out[exifAt:exifAt+exifLen], make([]byte, exifLen)) {
		t.Fatal("avif: the Exif item is not zeroed")
	}
	real := encodeAVIF(t, img)
	if out, err := imaging.Strip(imaging.MIMEAVIF, real); err != nil || !bytes.Equal(out, real) {
		t.Fatalf("avif without metadata changed: %v", err)
	}
}

func TestStripRefusesCorruptAndUnknown(t *testing.T) {
	t.Parallel()
	j := withJPEGMetadata(encodeJPEG(t, pattern(8, 8)), 6)
	for name, c := range map[string]struct {
		mime string
		data []byte
		want error
	}{
		"jpeg cut in a segment": {imaging.MIMEJPEG, j[:30], imaging.ErrCorrupt},
		"png cut":               {imaging.MIMEPNG, encodePNG(t, pattern(8, 8))[:40], imaging.ErrCorrupt},
		"svg":                   {imaging.MIMESVG, []byte("<svg/>"), imaging.ErrUnsupported},
	} {
		if _, err := imaging.Strip(c.mime, c.data); !errorsIs(err, c.want) {
			t.Errorf("%s: Strip = %v, want %v", name, err, c.want)
		}
	}
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func le32(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
