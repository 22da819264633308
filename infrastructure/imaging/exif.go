package imaging

// exifHeader starts the payload of a JPEG APP1 segment that carries EXIF (a TIFF structure follows).
var exifHeader = []byte("Exif\x00\x00")

const tagOrientation = 0x0112

// exifOrientation reads the Orientation tag from IFD0 of a TIFF structure. It returns 1 (upright) when
// the tag is absent, out of range or the structure is malformed: a broken EXIF block must not make an
// otherwise good image unreadable, and the block is stripped anyway.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var u16 func([]byte) uint16
	var u32 func([]byte) uint32
	switch string(tiff[0:4]) {
	case "II*\x00":
		u16, u32 = le16, le32
	case "MM\x00*":
		u16, u32 = be16, be32
	default:
		return 1
	}
	off := int64(u32(tiff[4:8]))
	if off < 8 || off+2 > int64(len(tiff)) {
		return 1
	}
	n := int64(u16(tiff[off : off+2]))
	for i := int64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > int64(len(tiff)) {
			return 1
		}
		if u16(tiff[e:e+2]) != tagOrientation {
			continue
		}
		// SHORT (type 3), count 1: the value sits in the first two bytes of the value field.
		if u16(tiff[e+2:e+4]) != 3 {
			return 1
		}
		if o := int(u16(tiff[e+8 : e+10])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}

// minimalExif is an APP1 payload holding only an Orientation tag (big-endian TIFF, one IFD0 entry, no
// next IFD): what Strip leaves in a JPEG so that it still displays upright.
func minimalExif(orientation int) []byte {
	b := append([]byte{}, exifHeader...)
	b = append(b, 'M', 'M', 0, '*', 0, 0, 0, 8) // TIFF header, IFD0 at offset 8
	b = append(b, 0, 1)                         // one entry
	b = append(b, byte(tagOrientation>>8), byte(tagOrientation&0xFF), 0, 3, 0, 0, 0, 1,
		byte(orientation>>8), byte(orientation), 0, 0)
	return append(b, 0, 0, 0, 0) // no next IFD
}

// swapsAxes reports whether an EXIF orientation turns the image by 90° (its width becomes its height).
func swapsAxes(orientation int) bool { return orientation >= 5 && orientation <= 8 }
