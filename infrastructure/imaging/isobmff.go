package imaging

// AVIF is an ISO-BMFF (HEIF) file: the size of the primary image is its "ispe" property and its
// rotation an "irot" property, both in meta/iprp/ipco and tied to items by meta/iprp/ipma. Reading
// them needs no AV1 decoder, so Probe stays a header read for AVIF too.

type box struct {
	typ     string
	payload []byte
}

// boxes splits b into ISO-BMFF boxes; a malformed size ends the list with an error.
func boxes(b []byte) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if len(b) < 8 {
			return nil, corrupt("avif: truncated box header")
		}
		size := uint64(be32(b[0:4]))
		typ := string(b[4:8])
		hdr := uint64(8)
		switch size {
		case 0: // to the end of the enclosing container
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, corrupt("avif: truncated large box header")
			}
			size = uint64(be32(b[8:12]))<<32 | uint64(be32(b[12:16]))
			hdr = 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, corrupt("avif: box %q size %d out of bounds", typ, size)
		}
		out = append(out, box{typ: typ, payload: b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

func findBox(bs []box, typ string) (box, bool) {
	for _, b := range bs {
		if b.typ == typ {
			return b, true
		}
	}
	return box{}, false
}

func probeAVIF(data []byte) (w, h, orientation int, highDepth bool, err error) {
	top, err := boxes(data)
	if err != nil {
		return 0, 0, 0, false, err
	}
	meta, ok := findBox(top, "meta")
	if !ok || len(meta.payload) < 4 {
		return 0, 0, 0, false, corrupt("avif: no meta box")
	}
	children, err := boxes(meta.payload[4:]) // meta is a full box: version and flags first
	if err != nil {
		return 0, 0, 0, false, err
	}
	primary, err := primaryItem(children)
	if err != nil {
		return 0, 0, 0, false, err
	}
	iprp, ok := findBox(children, "iprp")
	if !ok {
		return 0, 0, 0, false, corrupt("avif: no iprp box")
	}
	props, err := boxes(iprp.payload)
	if err != nil {
		return 0, 0, 0, false, err
	}
	ipco, ok1 := findBox(props, "ipco")
	ipma, ok2 := findBox(props, "ipma")
	if !ok1 || !ok2 {
		return 0, 0, 0, false, corrupt("avif: no ipco or ipma box")
	}
	properties, err := boxes(ipco.payload)
	if err != nil {
		return 0, 0, 0, false, err
	}
	indices, err := associations(ipma.payload, primary)
	if err != nil {
		return 0, 0, 0, false, err
	}
	orientation = 1
	for _, idx := range indices { // 1-based indices into ipco
		if idx < 1 || idx > len(properties) {
			return 0, 0, 0, false, corrupt("avif: property index %d out of range", idx)
		}
		p := properties[idx-1]
		switch p.typ {
		case "ispe":
			if len(p.payload) < 12 {
				return 0, 0, 0, false, corrupt("avif: short ispe box")
			}
			w, h = int(be32(p.payload[4:8])), int(be32(p.payload[8:12]))
		case "av1C":
			// byte 2: seq_tier, high_bitdepth (0x40), twelve_bit, monochrome, chroma subsampling
			highDepth = len(p.payload) >= 3 && p.payload[2]&0x40 != 0
		case "irot":
			// angle×90° anticlockwise; as EXIF orientations: 90° ccw = 8, 180° = 3, 270° ccw = 6
			if len(p.payload) >= 1 {
				orientation = [4]int{1, 8, 3, 6}[p.payload[0]&3]
			}
		}
	}
	if w == 0 || h == 0 {
		return 0, 0, 0, false, corrupt("avif: the primary item has no ispe property")
	}
	return w, h, orientation, highDepth, nil
}

func primaryItem(children []box) (uint32, error) {
	pitm, ok := findBox(children, "pitm")
	if !ok || len(pitm.payload) < 6 {
		return 0, corrupt("avif: no pitm box")
	}
	if pitm.payload[0] == 0 {
		return uint32(be16(pitm.payload[4:6])), nil
	}
	if len(pitm.payload) < 8 {
		return 0, corrupt("avif: short pitm box")
	}
	return be32(pitm.payload[4:8]), nil
}

// associations returns the ipco indices that ipma associates with item.
func associations(p []byte, item uint32) ([]int, error) {
	if len(p) < 8 {
		return nil, corrupt("avif: short ipma box")
	}
	version, flags := p[0], p[3]
	count := be32(p[4:8])
	p = p[8:]
	for range count {
		var id uint32
		if version < 1 {
			if len(p) < 3 {
				return nil, corrupt("avif: truncated ipma entry")
			}
			id, p = uint32(be16(p[0:2])), p[2:]
		} else {
			if len(p) < 5 {
				return nil, corrupt("avif: truncated ipma entry")
			}
			id, p = be32(p[0:4]), p[4:]
		}
		n := int(p[0])
		p = p[1:]
		width := 1
		if flags&1 != 0 {
			width = 2
		}
		if len(p) < n*width {
			return nil, corrupt("avif: truncated ipma associations")
		}
		var out []int
		for j := range n {
			if width == 2 {
				out = append(out, int(be16(p[2*j:2*j+2])&0x7FFF))
			} else {
				out = append(out, int(p[j]&0x7F))
			}
		}
		p = p[n*width:]
		if id == item {
			return out, nil
		}
	}
	return nil, corrupt("avif: no properties for the primary item")
}
