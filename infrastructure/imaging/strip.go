package imaging

import (
	"bytes"
	"encoding/binary"
)

// Strip removes EXIF (with its GPS block), XMP and text metadata from data and keeps every other byte
// as it was: segments and chunks are dropped whole, nothing is decoded or re-encoded, so the pixels,
// the colour profile and the compression are the original's.
//
//   - JPEG: APP1 Exif and XMP (standard and extended) and APP13 (Photoshop/IPTC) segments go. A
//     non-upright orientation is kept as a minimal APP1 holding only the Orientation tag, where the
//     EXIF segment was, so the original still displays upright.
//   - PNG: eXIf, tEXt, iTXt and zTXt chunks go.
//   - WebP: EXIF and "XMP " chunks go, their VP8X flags are cleared and the RIFF size is fixed. A
//     simple (VP8/VP8L) file has no room for metadata and is returned as is.
//   - AVIF: the payload of Exif and XMP items is overwritten with zeros in place (the container's
//     offsets all stay valid, so nothing else moves): no reader finds a tag in it any more.
//   - GIF: comment and XMP application extensions go.
//   - PDF is stored as a plain file and returned as is.
//
// The result may share no memory with data.
func Strip(mime string, data []byte) ([]byte, error) {
	switch mime {
	case MIMEJPEG:
		return stripJPEG(data)
	case MIMEPNG:
		return stripPNG(data)
	case MIMEWebP:
		return stripWebP(data)
	case MIMEAVIF:
		return stripAVIF(data)
	case MIMEGIF:
		return stripGIF(data)
	case MIMEPDF:
		return bytes.Clone(data), nil
	}
	return nil, unsupported("strip %q", mime)
}

var (
	xmpHeader         = []byte("http://ns.adobe.com/xap/1.0/\x00")
	xmpExtendedHeader = []byte("http://ns.adobe.com/xmp/extension/\x00")
)

func isJPEGMetadata(s jpegSegment) bool {
	switch s.marker {
	case 0xE1:
		return bytes.HasPrefix(s.payload, exifHeader) || bytes.HasPrefix(s.payload, xmpHeader) ||
			bytes.HasPrefix(s.payload, xmpExtendedHeader)
	case 0xED: // APP13: Photoshop image resources, where IPTC (with its location fields) lives
		return true
	}
	return false
}

func stripJPEG(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, data[:2]...)
	orientation := 1
	exifAt := -1 // where in out the first EXIF segment was, for the orientation-only replacement
	scanAt, err := walkJPEG(data, func(s jpegSegment) bool {
		if !isJPEGMetadata(s) {
			out = append(out, data[s.start:s.end]...)
			return true
		}
		if s.marker == 0xE1 && bytes.HasPrefix(s.payload, exifHeader) && exifAt < 0 {
			exifAt = len(out)
			orientation = exifOrientation(s.payload[len(exifHeader):])
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out = append(out, data[scanAt:]...)
	if orientation != 1 {
		seg := jpegSegmentBytes(0xE1, minimalExif(orientation))
		out = append(out[:exifAt], append(seg, out[exifAt:]...)...)
	}
	return out, nil
}

func jpegSegmentBytes(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(b[2:], uint16(len(payload)+2))
	return append(b, payload...)
}

func stripPNG(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, pngSignature) {
		return nil, corrupt("png: no signature")
	}
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	i := len(pngSignature)
	for i < len(data) {
		if i+12 > len(data) {
			return nil, corrupt("png: truncated chunk at %d", i)
		}
		n := int64(be32(data[i : i+4]))
		end := int64(i) + 12 + n
		if end > int64(len(data)) {
			return nil, corrupt("png: chunk length %d out of bounds", n)
		}
		typ := string(data[i+4 : i+8])
		switch typ {
		case "eXIf", "tEXt", "iTXt", "zTXt":
		default:
			out = append(out, data[i:end]...)
		}
		i = int(end)
		if typ == "IEND" {
			out = append(out, data[i:]...) // whatever trails IEND is not ours to judge
			break
		}
	}
	return out, nil
}

const (
	vp8xFlagEXIF = 0x08
	vp8xFlagXMP  = 0x04
)

func stripWebP(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, data[:12]...)
	vp8xAt := -1
	err := walkWebP(data, func(c riffChunk) bool {
		switch c.fourCC {
		case "EXIF", "XMP ":
			return true
		case "VP8X":
			vp8xAt = len(out)
		}
		out = append(out, data[c.start:c.end]...)
		return true
	})
	if err != nil {
		return nil, err
	}
	if vp8xAt >= 0 && vp8xAt+9 <= len(out) {
		out[vp8xAt+8] &^= vp8xFlagEXIF | vp8xFlagXMP
	}
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return out, nil
}
