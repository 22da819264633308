package imaging

import (
	"bytes"
)

// SniffLen is the most Sniff looks at.
const SniffLen = 512

// Sniff reports the type of data from its bytes only (never a file name or a Content-Type header),
// looking at no more than the first SniffLen bytes. ok is false for anything this package does not
// know; SVG is reported (MIMESVG) so that the caller can refuse it with a precise reason.
func Sniff(head []byte) (mime string, ok bool) {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return MIMEJPEG, true
	case bytes.HasPrefix(head, pngSignature):
		return MIMEPNG, true
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return MIMEGIF, true
	case len(head) >= 16 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WEBP" &&
		(string(head[12:16]) == "VP8 " || string(head[12:16]) == "VP8L" || string(head[12:16]) == "VP8X"):
		return MIMEWebP, true
	case isAVIF(head):
		return MIMEAVIF, true
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return MIMEPDF, true
	case isSVG(head):
		return MIMESVG, true
	}
	return "", false
}

var pngSignature = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}

// isAVIF looks at the ISO-BMFF ftyp box: AVIF is a major or compatible brand "avif" (still) or "avis"
// (sequence). HEIC and other HEIF files share the container but not the brand, and are not AVIF.
func isAVIF(head []byte) bool {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return false
	}
	size := int(be32(head[0:4]))
	if size < 16 || size%4 != 0 {
		return false
	}
	if size > len(head) {
		size = len(head) - len(head)%4
	}
	if b := string(head[8:12]); b == "avif" || b == "avis" {
		return true
	}
	for i := 16; i+4 <= size; i += 4 { // compatible brands follow the major brand and its version
		if b := string(head[i : i+4]); b == "avif" || b == "avis" {
			return true
		}
	}
	return false
}

// isSVG finds an <svg element at the start of an XML text (after a BOM, an XML declaration, comments
// or a doctype): a sniff, not a parse, so that an SVG upload is refused as such and not as "unknown".
func isSVG(head []byte) bool {
	s := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	s = bytes.TrimLeft(s, " \t\r\n")
	if !bytes.HasPrefix(s, []byte("<")) {
		return false
	}
	return bytes.Contains(bytes.ToLower(s), []byte("<svg"))
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func le32(b []byte) uint32 {
	return uint32(b[3])<<24 | uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0])
}
func le16(b []byte) uint16 { return uint16(b[1])<<8 | uint16(b[0]) }
func le24(b []byte) uint32 { return uint32(b[2])<<16 | uint32(b[1])<<8 | uint32(b[0]) }
