package imaging_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

// seeds are small real files of every type, with and without metadata. The WebP and AVIF ones were
// written by the WASM encoders (see fixtures_test.go) and committed: compiling those modules in every
// fuzz worker would eat a short fuzz run.
func seeds(f *testing.F) [][]byte {
	img := pattern(12, 8)
	av, _, _ := avifWithExif(12, 8)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	lossy := read("lossy.webp")
	return [][]byte{
		encodeJPEG(f, img), withJPEGMetadata(encodeJPEG(f, img), 6),
		encodePNG(f, img), withPNGMetadata(encodePNG(f, img)),
		encodeGIF(f, img), gifWithMetadata(encodeGIF(f, img)),
		lossy, read("lossless.webp"), withWebPMetadata(f, lossy, 12, 8),
		read("tiny.avif"), avifHeader(12, 8, 1), av,
		[]byte("%PDF-1.7\n"), []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"),
	}
}

func FuzzSniff(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mime, ok := imaging.Sniff(data)
		if ok != (mime != "") {
			t.Fatalf("Sniff = %q, %v", mime, ok)
		}
		// only the first 512 bytes count
		if len(data) > imaging.SniffLen {
			if m2, _ := imaging.Sniff(data[:imaging.SniffLen]); m2 != mime {
				t.Fatalf("Sniff depends on bytes past %d", imaging.SniffLen)
			}
		}
	})
}

// Probe never panics, and what it accepts has a positive size (or is a PDF).
func FuzzProbe(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mime, ok := imaging.Sniff(data)
		if !ok {
			mime = imaging.MIMEJPEG // still exercise a parser on data it does not recognise
		}
		info, err := imaging.Probe(mime, data)
		if err == nil && mime != imaging.MIMEPDF && (info.Width <= 0 || info.Height <= 0 || info.Orientation < 1 || info.Orientation > 8) {
			t.Fatalf("Probe = %+v", info)
		}
	})
}

// Strip never panics; what it returns keeps its type and size, is stripped for good (stripping it
// again changes nothing) and is never larger than the input plus the orientation-only EXIF segment.
func FuzzStrip(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mime, ok := imaging.Sniff(data)
		if !ok || mime == imaging.MIMESVG {
			return
		}
		out, err := imaging.Strip(mime, data)
		if err != nil {
			return
		}
		if len(out) > len(data)+64 {
			t.Fatalf("Strip grew %d bytes to %d", len(data), len(out))
		}
		if m2, _ := imaging.Sniff(out); m2 != mime {
			t.Fatalf("Strip changed the type %s to %s", mime, m2)
		}
		before, err1 := imaging.Probe(mime, data)
		after, err2 := imaging.Probe(mime, out)
		if err1 == nil && (err2 != nil || before != after) {
			t.Fatalf("Probe before Strip %+v, after %+v (%v)", before, after, err2)
		}
		again, err := imaging.Strip(mime, out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Strip is not idempotent: %v", err)
		}
	})
}
