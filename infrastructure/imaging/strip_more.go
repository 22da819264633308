package imaging

import (
	"bytes"
)

// stripAVIF overwrites the payload of every Exif item and every XMP item (a "mime" item of type
// application/rdf+xml) with zeros. Removing the items would mean rewriting iinf, iloc, iref and every
// offset after them; zeroing in place keeps the file valid byte for byte everywhere else.
func stripAVIF(data []byte) ([]byte, error) {
	out := bytes.Clone(data)
	top, err := boxes(out)
	if err != nil {
		return nil, err
	}
	meta, ok := findBox(top, "meta")
	if !ok || len(meta.payload) < 4 {
		return nil, corrupt("avif: no meta box")
	}
	children, err := boxes(meta.payload[4:])
	if err != nil {
		return nil, err
	}
	iinf, ok := findBox(children, "iinf")
	if !ok {
		return out, nil // no item information: no metadata items
	}
	targets, err := metadataItems(iinf.payload)
	if err != nil || len(targets) == 0 {
		return out, err
	}
	iloc, ok := findBox(children, "iloc")
	if !ok {
		return nil, corrupt("avif: no iloc box")
	}
	var idat []byte
	if b, ok := findBox(children, "idat"); ok {
		idat = b.payload
	}
	return out, zeroItems(out, idat, iloc.payload, targets)
}

// metadataItems returns the IDs of the Exif and XMP items listed in an iinf payload.
func metadataItems(p []byte) (map[uint32]bool, error) {
	if len(p) < 6 {
		return nil, corrupt("avif: short iinf box")
	}
	skip := 6
	if p[0] != 0 {
		skip = 8
	}
	if len(p) < skip {
		return nil, corrupt("avif: short iinf box")
	}
	entries, err := boxes(p[skip:])
	if err != nil {
		return nil, err
	}
	ids := map[uint32]bool{}
	for _, e := range entries {
		if e.typ != "infe" || len(e.payload) < 4 || e.payload[0] < 2 {
			continue
		}
		q := e.payload[4:]
		var id uint32
		if e.payload[0] == 2 {
			if len(q) < 2 {
				return nil, corrupt("avif: short infe box")
			}
			id, q = uint32(be16(q)), q[2:]
		} else {
			if len(q) < 4 {
				return nil, corrupt("avif: short infe box")
			}
			id, q = be32(q), q[4:]
		}
		if len(q) < 6 {
			return nil, corrupt("avif: short infe box")
		}
		typ, rest := string(q[2:6]), q[6:]
		switch typ {
		case "Exif":
			ids[id] = true
		case "mime":
			// item_name then content_type, both NUL-terminated
			if _, after, ok := bytes.Cut(rest, []byte{0}); ok {
				ct, _, _ := bytes.Cut(after, []byte{0})
				if bytes.Contains(bytes.ToLower(ct), []byte("rdf+xml")) {
					ids[id] = true
				}
			}
		}
	}
	return ids, nil
}

// zeroItems parses an iloc payload and zeroes the extents of the target items in out (file offsets)
// or idat (construction method 1).
func zeroItems(out, idat, p []byte, targets map[uint32]bool) error {
	r := reader{b: p}
	version := r.u8()
	r.skip(3)
	sizes := r.u8()
	sizes2 := r.u8()
	offSize, lenSize, baseSize, idxSize := int(sizes>>4), int(sizes&15), int(sizes2>>4), int(sizes2&15)
	if version == 0 {
		idxSize = 0
	}
	count := uint64(r.u16())
	if version >= 2 {
		count = uint64(r.u32())
	}
	for range count {
		var id uint32
		if version < 2 {
			id = uint32(r.u16())
		} else {
			id = r.u32()
		}
		method := 0
		if version >= 1 {
			method = int(r.u16() & 15)
		}
		r.skip(2) // data_reference_index
		base := r.uint(baseSize)
		extents := int(r.u16())
		for range extents {
			r.uint(idxSize)
			off, n := base+r.uint(offSize), r.uint(lenSize)
			if r.err != nil {
				return r.err
			}
			if !targets[id] {
				continue
			}
			dst := out
			if method == 1 {
				dst = idat
			} else if method != 0 {
				return unsupported("avif: item %d construction method %d", id, method)
			}
			if n == 0 { // the extent runs to the end
				n = uint64(len(dst)) - min(off, uint64(len(dst)))
			}
			if off > uint64(len(dst)) || n > uint64(len(dst))-off {
				return corrupt("avif: item %d extent out of bounds", id)
			}
			clear(dst[off : off+n])
		}
	}
	return r.err
}

// reader reads big-endian fields and remembers the first overrun instead of panicking.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = corrupt("avif: truncated box")
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) skip(n int)  { r.take(n) }
func (r *reader) u8() byte    { return r.take(1)[0] }
func (r *reader) u16() uint16 { return be16(r.take(2)) }
func (r *reader) u32() uint32 { return be32(r.take(4)) }
func (r *reader) uint(n int) uint64 {
	switch n {
	case 0:
		return 0
	case 4:
		return uint64(r.u32())
	case 8:
		b := r.take(8)
		return uint64(be32(b))<<32 | uint64(be32(b[4:]))
	}
	r.err = corrupt("avif: field size %d", n)
	return 0
}

// stripGIF drops comment extensions and XMP application extensions; the image data, the colour
// tables, the graphic controls and the animation (NETSCAPE) extension stay byte for byte.
func stripGIF(data []byte) ([]byte, error) {
	if len(data) < 13 {
		return nil, corrupt("gif: truncated header")
	}
	i := 13
	if data[10]&0x80 != 0 {
		i += 3 << (data[10]&7 + 1)
	}
	if i > len(data) {
		return nil, corrupt("gif: truncated colour table")
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:i]...)
	for i < len(data) {
		start := i
		switch data[i] {
		case 0x3B: // trailer
			return append(out, data[i:]...), nil
		case 0x21:
			if i+2 > len(data) {
				return nil, corrupt("gif: truncated extension")
			}
			label := data[i+1]
			end, err := gifSubBlocks(data, i+2)
			if err != nil {
				return nil, err
			}
			i = end
			drop := label == 0xFE ||
				(label == 0xFF && start+14 <= len(data) && string(data[start+3:start+14]) == "XMP DataXMP")
			if !drop {
				out = append(out, data[start:end]...)
			}
		case 0x2C:
			if i+10 > len(data) {
				return nil, corrupt("gif: truncated image descriptor")
			}
			j := i + 10
			if data[i+9]&0x80 != 0 {
				j += 3 << (data[i+9]&7 + 1)
			}
			j++ // LZW minimum code size
			if j > len(data) {
				return nil, corrupt("gif: truncated image")
			}
			end, err := gifSubBlocks(data, j)
			if err != nil {
				return nil, err
			}
			out = append(out, data[start:end]...)
			i = end
		default:
			return nil, corrupt("gif: unknown block %#x at %d", data[i], i)
		}
	}
	return out, nil // a missing trailer is common and harmless: decoders stop at the end anyway
}

// gifSubBlocks returns the offset after the data sub-blocks starting at i (ended by a zero length).
func gifSubBlocks(data []byte, i int) (int, error) {
	for {
		if i >= len(data) {
			return 0, corrupt("gif: truncated sub-blocks")
		}
		n := int(data[i])
		i += 1 + n
		if n == 0 {
			return i, nil
		}
	}
}
