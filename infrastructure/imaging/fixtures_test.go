package imaging_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
)

// Fixtures are made in the test from the standard library's and the WASM encoders' output, and the
// metadata the standard library cannot write (EXIF, GPS, XMP, text chunks) is spliced in as bytes.

// pattern is a w×h image with a different colour in each quadrant and a gradient, so that a crop, a
// flip or a wrong scale shows in the pixels.
func pattern(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{uint8(x * 255 / max(w-1, 1)), uint8(y * 255 / max(h-1, 1)), 0, 255}
			switch {
			case x < w/2 && y < h/2:
				c.B = 0
			case x >= w/2 && y < h/2:
				c.B = 80
			case x < w/2:
				c.B = 160
			default:
				c.B = 240
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeWebP(t testing.TB, img image.Image, lossless bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := webp.Encode(&b, img, webp.Options{Quality: 80, Lossless: lossless}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeAVIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := avif.Encode(&b, img, avif.Options{Quality: 70, Speed: 10}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tiffWithOrientationAndGPS is an EXIF TIFF block (little-endian) with Orientation, a Make string
// and a GPS IFD holding a latitude: what a phone writes, in miniature.
func tiffWithOrientationAndGPS(orientation int) []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8)
	// IFD0: 3 entries at 8; values area after it
	const entries = 3
	valuesAt := uint32(8 + 2 + entries*12 + 4)
	b = le.AppendUint16(b, entries)
	b = appendEntry(b, 0x010F, 2, 8, valuesAt)            // Make, ASCII, 8 bytes
	b = appendEntry(b, 0x0112, 3, 1, uint32(orientation)) // Orientation, SHORT
	b = appendEntry(b, 0x8825, 4, 1, valuesAt+8)          // GPS IFD pointer, LONG
	b = le.AppendUint32(b, 0)                             // no IFD1
	b = append(b, "InkPhon\x00"...)
	// GPS IFD: GPSLatitudeRef "N", GPSLatitude 3 RATIONALs
	gpsValues := valuesAt + 8 + 2 + 2*12 + 4
	b = le.AppendUint16(b, 2)
	b = appendEntry(b, 0x0001, 2, 2, uint32('N'))
	b = appendEntry(b, 0x0002, 5, 3, gpsValues)
	b = le.AppendUint32(b, 0)
	for _, v := range []uint32{52, 1, 31, 1, 1234, 100} {
		b = le.AppendUint32(b, v)
	}
	return b
}

func appendEntry(b []byte, tag, typ uint16, count, value uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, tag)
	b = le.AppendUint16(b, typ)
	b = le.AppendUint32(b, count)
	return le.AppendUint32(b, value)
}

const xmpPacket = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
	`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,31.12N"/></rdf:RDF></x:xmpmeta>`

func jpegSegment(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(len(payload)+2))
	return append(b, payload...)
}

// withJPEGMetadata inserts an EXIF APP1 (orientation and GPS), an XMP APP1 and a COM segment right
// after SOI, where cameras put them.
func withJPEGMetadata(j []byte, orientation int) []byte {
	exif := append([]byte("Exif\x00\x00"), tiffWithOrientationAndGPS(orientation)...)
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"), xmpPacket...)
	out := append([]byte{}, j[:2]...)
	out = append(out, jpegSegment(0xE1, exif)...)
	out = append(out, jpegSegment(0xE1, xmp)...)
	out = append(out, jpegSegment(0xFE, []byte("a comment that stays"))...)
	return append(out, j[2:]...)
}

func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// withPNGMetadata inserts eXIf, tEXt, iTXt and zTXt chunks after IHDR.
func withPNGMetadata(p []byte) []byte {
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", tiffWithOrientationAndGPS(1))...)
	out = append(out, pngChunk("tEXt", []byte("Author\x00Someone"))...)
	out = append(out, pngChunk("iTXt", append([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"), xmpPacket...))...)
	out = append(out, pngChunk("zTXt", []byte("Comment\x00\x00x\x9c\x03\x00\x00\x00\x00\x01"))...)
	return append(out, p[ihdrEnd:]...)
}

func riffChunkBytes(fourCC string, data []byte) []byte {
	b := append([]byte(fourCC), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// withWebPMetadata wraps a simple (VP8 or VP8L) WebP into an extended one: VP8X with the EXIF and XMP
// flags, the image chunk, then EXIF and XMP chunks, as the container spec orders them.
func withWebPMetadata(t testing.TB, w []byte, width, height int) []byte {
	t.Helper()
	if string(w[12:15]) != "VP8" {
		t.Fatalf("not a simple webp: %q", w[12:16])
	}
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 | 0x04 // EXIF and XMP present
	vp8x[4], vp8x[5], vp8x[6] = byte(width-1), byte((width-1)>>8), byte((width-1)>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(height-1), byte((height-1)>>8), byte((height-1)>>16)
	body := []byte("WEBP")
	body = append(body, riffChunkBytes("VP8X", vp8x)...)
	body = append(body, w[12:]...)
	body = append(body, riffChunkBytes("EXIF", tiffWithOrientationAndGPS(1))...)
	body = append(body, riffChunkBytes("XMP ", []byte(xmpPacket))...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

// avifHeader is the box structure of an AVIF still image without its AV1 payload: enough for Sniff
// and Probe, with a 90°-per-step rotation when irot >= 0.
func avifHeader(width, height uint32, irot int) []byte {
	bx := func(typ string, payload ...[]byte) []byte {
		body := bytes.Join(payload, nil)
		b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
		return append(append(b, typ...), body...)
	}
	full := []byte{0, 0, 0, 0}
	ftyp := bx("ftyp", []byte("avif"), []byte{0, 0, 0, 0}, []byte("avifmif1miafMA1B"))
	ispe := bx("ispe", full, binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, width), height))
	props := [][]byte{bx("av1C", []byte{0x81, 0, 0, 0}), ispe}
	assoc := []byte{0x81, 0x02}
	if irot >= 0 {
		props = append(props, bx("irot", []byte{byte(irot)}))
		assoc = append(assoc, 0x03)
	}
	ipco := bx("ipco", props...)
	ipmaBody := append([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, byte(len(assoc))}, assoc...)
	ipma := bx("ipma", ipmaBody)
	meta := bx("meta", full,
		bx("hdlr", full, []byte{0, 0, 0, 0}, []byte("pict"), make([]byte, 13)),
		bx("pitm", full, []byte{0, 1}),
		bx("iprp", ipco, ipma))
	return append(append(ftyp, meta...), bx("mdat", []byte{0x12, 0, 0x0A})...)
}

// gifWithMetadata inserts a comment extension and an XMP application extension (with the XMP spec's
// "magic trailer" that makes raw bytes parse as sub-blocks) after the global colour table.
func gifWithMetadata(g []byte) []byte {
	at := 13
	if g[10]&0x80 != 0 {
		at += 3 << (g[10]&7 + 1)
	}
	ext := []byte{0x21, 0xFE, 5, 'h', 'e', 'l', 'l', 'o', 0}
	ext = append(ext, 0x21, 0xFF, 11)
	ext = append(ext, "XMP DataXMP"...)
	ext = append(ext, xmpPacket...)
	ext = append(ext, 1)
	for i := 0xFF; i >= 0; i-- {
		ext = append(ext, byte(i))
	}
	ext = append(ext, 0) // the block terminator the trailer always lands on
	out := append([]byte{}, g[:at]...)
	out = append(out, ext...)
	return append(out, g[at:]...)
}

// avifWithExif is avifHeader's structure with two items: the image (id 1) and an Exif item (id 2)
// whose payload sits in mdat after the image data, located by iloc.
func avifWithExif(width, height uint32) (file []byte, exifAt, exifLen int) {
	bx := func(typ string, payload ...[]byte) []byte {
		body := bytes.Join(payload, nil)
		b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
		return append(append(b, typ...), body...)
	}
	full := []byte{0, 0, 0, 0}
	be32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	ftyp := bx("ftyp", []byte("avif"), []byte{0, 0, 0, 0}, []byte("avifmif1miaf"))
	ispe := bx("ispe", full, be32(width), be32(height))
	iprp := bx("iprp", bx("ipco", bx("av1C", []byte{0x81, 0, 0, 0}), ispe),
		bx("ipma", []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 0x81, 0x02}))
	iinf := bx("iinf", full, []byte{0, 2},
		bx("infe", []byte{2, 0, 0, 0}, []byte{0, 1, 0, 0}, []byte("av01"), []byte("Color\x00")),
		bx("infe", []byte{2, 0, 0, 0}, []byte{0, 2, 0, 0}, []byte("Exif"), []byte("\x00")))
	exif := append([]byte{0, 0, 0, 0}, tiffWithOrientationAndGPS(1)...)
	image := []byte{0x12, 0, 0x0A, 0x0B, 0, 0, 0, 0x42}
	// iloc v0: offset_size 4, length_size 4, base_offset_size 0; offsets patched once sizes are known
	iloc := func(imgAt, exAt uint32) []byte {
		body := []byte{0, 0, 0, 0, 0x44, 0x00, 0, 2}
		body = append(body, 0, 1, 0, 0, 0, 1)
		body = append(body, be32(imgAt)...)
		body = append(body, be32(uint32(len(image)))...)
		body = append(body, 0, 2, 0, 0, 0, 1)
		body = append(body, be32(exAt)...)
		body = append(body, be32(uint32(len(exif)))...)
		return bx("iloc", body)
	}
	build := func(imgAt, exAt uint32) []byte {
		meta := bx("meta", full, bx("hdlr", full, []byte{0, 0, 0, 0}, []byte("pict"), make([]byte, 13)),
			bx("pitm", full, []byte{0, 1}), iloc(imgAt, exAt), iinf, iprp)
		return append(append(ftyp, meta...), bx("mdat", image, exif)...)
	}
	probe := build(0, 0)
	mdatData := len(probe) - len(image) - len(exif)
	file = build(uint32(mdatData), uint32(mdatData+len(image)))
	return file, mdatData + len(image), len(exif)
}
