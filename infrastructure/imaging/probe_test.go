package imaging_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

func TestSniffAndProbeRealImages(t *testing.T) {
	t.Parallel()
	img := pattern(64, 48)
	cases := []struct {
		name string
		data []byte
		mime string
		w, h int
	}{
		{"jpeg", encodeJPEG(t, img), imaging.MIMEJPEG, 64, 48},
		{"jpeg orientation 6 swaps", withJPEGMetadata(encodeJPEG(t, img), 6), imaging.MIMEJPEG, 48, 64},
		{"jpeg orientation 3 keeps", withJPEGMetadata(encodeJPEG(t, img), 3), imaging.MIMEJPEG, 64, 48},
		{"png", encodePNG(t, img), imaging.MIMEPNG, 64, 48},
		{"png with metadata", withPNGMetadata(encodePNG(t, img)), imaging.MIMEPNG, 64, 48},
		{"gif", encodeGIF(t, img), imaging.MIMEGIF, 64, 48},
		{"webp lossy", encodeWebP(t, img, false), imaging.MIMEWebP, 64, 48},
		{"webp lossless", encodeWebP(t, img, true), imaging.MIMEWebP, 64, 48},
		{"webp extended", withWebPMetadata(t, encodeWebP(t, img, false), 64, 48), imaging.MIMEWebP, 64, 48},
		{"avif", encodeAVIF(t, img), imaging.MIMEAVIF, 64, 48},
		{"avif committed", readFixture(t, "tiny.avif"), imaging.MIMEAVIF, 12, 8},
		{"webp committed lossless", readFixture(t, "lossless.webp"), imaging.MIMEWebP, 12, 8},
		{"avif header", avifHeader(640, 480, -1), imaging.MIMEAVIF, 640, 480},
		{"avif rotated 90", avifHeader(640, 480, 1), imaging.MIMEAVIF, 480, 640},
		{"avif rotated 180", avifHeader(640, 480, 2), imaging.MIMEAVIF, 640, 480},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), imaging.MIMEPDF, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mime, ok := imaging.Sniff(c.data)
			if !ok || mime != c.mime {
				t.Fatalf("Sniff = %q, %v; want %q", mime, ok, c.mime)
			}
			info, err := imaging.Probe(mime, c.data)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if info.Width != c.w || info.Height != c.h || info.MIME != c.mime {
				t.Fatalf("Probe = %+v; want %s %d×%d", info, c.mime, c.w, c.h)
			}
		})
	}
}

func TestSniffRefusesWhatItDoesNotKnow(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{
		"empty":            nil,
		"text":             []byte("hello, world"),
		"html":             []byte("<!doctype html><html><body>hi</body></html>"),
		"heic":             []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"riff wave":        []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"),
		"exe":              []byte("MZ\x90\x00\x03\x00\x00\x00"),
		"jpeg-ish prefix":  {0xFF, 0xD8},
		"zip named as png": []byte("PK\x03\x04\x14\x00\x00\x00"),
	} {
		if mime, ok := imaging.Sniff(data); ok {
			t.Errorf("%s: Sniff = %q, want unsupported", name, mime)
		}
	}
	if mime, ok := imaging.Sniff([]byte("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")); !ok || mime != imaging.MIMESVG {
		t.Errorf("svg: Sniff = %q, %v", mime, ok)
	}
	if _, err := imaging.Probe(imaging.MIMESVG, []byte("<svg/>")); !errors.Is(err, imaging.ErrUnsupported) {
		t.Errorf("Probe(svg) = %v, want ErrUnsupported", err)
	}
}

func TestProbeRejectsCorruptHeaders(t *testing.T) {
	t.Parallel()
	j := encodeJPEG(t, pattern(16, 16))
	p := encodePNG(t, pattern(16, 16))
	w := encodeWebP(t, pattern(16, 16), false)
	for name, c := range map[string]struct {
		mime string
		data []byte
	}{
		"jpeg truncated in header": {imaging.MIMEJPEG, j[:20]},
		"jpeg bad segment length":  {imaging.MIMEJPEG, append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF}, j[2:10]...)},
		"png truncated":            {imaging.MIMEPNG, p[:20]},
		"png zero width":           {imaging.MIMEPNG, append(append(append([]byte{}, p[:16]...), 0, 0, 0, 0), p[20:]...)},
		"gif truncated":            {imaging.MIMEGIF, []byte("GIF89a\x01")},
		"webp truncated":           {imaging.MIMEWebP, w[:18]},
		"webp bad chunk size":      {imaging.MIMEWebP, append(append([]byte{}, w[:16]...), 0xFF, 0xFF, 0xFF, 0x7F, 0, 0)},
		"avif without meta":        {imaging.MIMEAVIF, avifHeader(10, 10, -1)[:24]},
	} {
		if _, err := imaging.Probe(c.mime, c.data); !errors.Is(err, imaging.ErrCorrupt) {
			t.Errorf("%s: Probe = %v, want ErrCorrupt", name, err)
		}
	}
}

// A decompression bomb is refused from its header: Probe reads 100000×100000 (10 GP, 40 GB as RGBA)
// from a few hundred bytes without allocating anything near it.
func TestProbeNeverDecodesPixels(t *testing.T) {
	p := encodePNG(t, pattern(8, 8))
	bomb := append([]byte{}, p...)
	binary.BigEndian.PutUint32(bomb[16:], 100000)
	binary.BigEndian.PutUint32(bomb[20:], 100000)
	// a JPEG frame header claims the most JPEG allows, 65535×65535
	j := encodeJPEG(t, pattern(8, 8))
	jbomb := bytes.Replace(j, []byte{0x00, 0x08, 0x00, 0x08}, []byte{0xFF, 0xFF, 0xFF, 0xFF}, 1)
	webpBomb := withWebPMetadata(t, encodeWebP(t, pattern(8, 8), false), 1<<24, 1<<24)
	for _, c := range []struct {
		mime string
		data []byte
		px   int64
	}{
		{imaging.MIMEPNG, bomb, 100000 * 100000},
		{imaging.MIMEJPEG, jbomb, 65535 * 65535},
		{imaging.MIMEWebP, webpBomb, 1 << 48},
		{imaging.MIMEAVIF, avifHeader(1<<31, 1<<30, -1), 1 << 61},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		info, err := imaging.Probe(c.mime, c.data)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatalf("%s: Probe: %v", c.mime, err)
		}
		if info.Pixels() != c.px {
			t.Errorf("%s: %d pixels, want %d", c.mime, info.Pixels(), c.px)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<10 {
			t.Errorf("%s: Probe allocated %d bytes", c.mime, alloc)
		}
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
