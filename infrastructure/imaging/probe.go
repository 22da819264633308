package imaging

import (
	"bytes"
)

// Probe reads the width and height of data (of the type Sniff reported) from its header alone: no
// pixel is decoded, so a header claiming 100000×100000 costs nothing and the caller can refuse it
// before Analyze or Render would allocate it. A JPEG's EXIF orientation or an AVIF's irot is applied
// (a 90° turn swaps width and height; an AVIF's imir mirroring is not read). PNG and WebP EXIF orientation is ignored: Strip removes it, so the
// stored original displays as its pixels are stored. A PDF has no pixels: Info{MIME, 0, 0, 1}.
func Probe(mime string, data []byte) (Info, error) {
	info := Info{MIME: mime, Orientation: 1}
	var err error
	var bpp float64 // decoder working set per pixel, measured (see memory.go)
	switch mime {
	case MIMEJPEG:
		info.Width, info.Height, info.Orientation, bpp, err = probeJPEG(data)
	case MIMEPNG:
		info.Width, info.Height, bpp, err = probePNG(data)
	case MIMEGIF:
		info.Width, info.Height, err = probeGIF(data)
		bpp = gifBPP
	case MIMEWebP:
		info.Width, info.Height, bpp, err = probeWebP(data)
	case MIMEAVIF:
		var highDepth bool
		info.Width, info.Height, info.Orientation, highDepth, err = probeAVIF(data)
		bpp = avifBPP
		if highDepth { // 16-bit samples in libavif's buffers and an RGBA64 copy
			bpp = avifHighDepthBPP
		}
	case MIMEPDF:
		return info, nil
	default:
		return Info{}, unsupported("probe %q", mime)
	}
	if err != nil {
		return Info{}, err
	}
	if info.Width <= 0 || info.Height <= 0 {
		return Info{}, corrupt("%s: size %d×%d", mime, info.Width, info.Height)
	}
	if swapsAxes(info.Orientation) {
		info.Width, info.Height = info.Height, info.Width
	}
	info.decodeBytes = decodeWorkingSet(mime, info.Pixels(), bpp, len(data))
	return info, nil
}

// jpegSegment is one marker segment of a JPEG before its scan data: data[start:end] is the whole
// segment (marker included), payload its content after the length field.
type jpegSegment struct {
	marker     byte
	start, end int
	payload    []byte
}

// walkJPEG calls fn for each segment from SOI up to and including the first SOS; fn returns false to
// stop. It returns the offset where the SOS segment ends (the entropy-coded data starts).
func walkJPEG(data []byte, fn func(jpegSegment) bool) (int, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0, corrupt("jpeg: no SOI marker")
	}
	i := 2
	for {
		start := i
		if i >= len(data) || data[i] != 0xFF {
			return 0, corrupt("jpeg: expected a marker at %d", i)
		}
		for i < len(data) && data[i] == 0xFF { // fill bytes
			i++
		}
		if i >= len(data) {
			return 0, corrupt("jpeg: truncated marker")
		}
		marker := data[i]
		i++
		if marker == 0xD8 || marker == 0xD9 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			return 0, corrupt("jpeg: unexpected marker %#x before the scan", marker)
		}
		if i+2 > len(data) {
			return 0, corrupt("jpeg: truncated segment length")
		}
		n := int(be16(data[i : i+2]))
		if n < 2 || i+n > len(data) {
			return 0, corrupt("jpeg: segment %#x length %d out of bounds", marker, n)
		}
		seg := jpegSegment{marker: marker, start: start, end: i + n, payload: data[i+2 : i+n]}
		i += n
		if !fn(seg) || marker == 0xDA {
			return i, nil
		}
	}
}

func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}

func probeJPEG(data []byte) (w, h, orientation int, bpp float64, err error) {
	orientation = 1
	found, exif := false, false
	_, err = walkJPEG(data, func(s jpegSegment) bool {
		switch {
		case s.marker == 0xE1 && bytes.HasPrefix(s.payload, exifHeader) && !exif:
			// the first EXIF segment counts, as in viewers and in Strip
			exif = true
			orientation = exifOrientation(s.payload[len(exifHeader):])
		case isSOF(s.marker):
			if len(s.payload) >= 5 {
				h, w = int(be16(s.payload[1:3])), int(be16(s.payload[3:5]))
				bpp = jpegBPP(s.marker, s.payload)
				found = true
			}
			return false
		}
		return true
	})
	if err != nil {
		return 0, 0, 0, 0, err
	}
	if !found {
		return 0, 0, 0, 0, corrupt("jpeg: no frame header before the scan")
	}
	return w, h, orientation, bpp, nil
}

// jpegBPP is the decoder's bytes per pixel: one byte per sample of each component plane (chroma
// planes are subsampled), four bytes per coefficient more for a progressive image (image/jpeg keeps
// every coefficient until the last scan), and a CMYK image is converted into a second buffer.
func jpegBPP(marker byte, sof []byte) float64 {
	if len(sof) < 6 {
		return jpegWorstBPP
	}
	n := int(sof[5])
	if n == 0 || len(sof) < 6+3*n {
		return jpegWorstBPP
	}
	hmax, vmax := 1, 1
	for i := range n {
		f := sof[6+3*i+1]
		hmax, vmax = max(hmax, int(f>>4)), max(vmax, int(f&15))
	}
	var planes float64
	for i := range n {
		f := sof[6+3*i+1]
		planes += float64(max(int(f>>4), 1)*max(int(f&15), 1)) / float64(hmax*vmax)
	}
	bpp := planes
	if marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE {
		bpp += 4 * planes
	}
	if n == 4 {
		bpp += 4
	}
	return bpp
}

func probePNG(data []byte) (w, h int, bpp float64, err error) {
	// signature, then IHDR first: length 13, type, width, height, depth, colour type, ..., interlace
	if len(data) < 8+8+13 || !bytes.HasPrefix(data, pngSignature) || string(data[12:16]) != "IHDR" {
		return 0, 0, 0, corrupt("png: no IHDR chunk")
	}
	w, h = int(be32(data[16:20])), int(be32(data[20:24]))
	if w > 1<<31-1 || h > 1<<31-1 {
		return 0, 0, 0, corrupt("png: size out of range")
	}
	// image/png decodes grey and palette images to one byte per pixel (two for 16-bit grey) and the
	// others to 4 (8 for 16-bit); an interlaced image is decoded pass by pass and then merged.
	depth, colour, interlace := data[24], data[25], data[28]
	switch colour {
	case 0, 3: // grey, palette
		bpp = 1
	default:
		bpp = 4
	}
	if depth == 16 {
		bpp *= 2
	}
	if interlace != 0 {
		bpp *= 2
	}
	return w, h, bpp, nil
}

func probeGIF(data []byte) (w, h int, err error) {
	if len(data) < 10 {
		return 0, 0, corrupt("gif: truncated header")
	}
	return int(le16(data[6:8])), int(le16(data[8:10])), nil
}

// riffChunk is one chunk of a RIFF (WebP) file: data[start:end] is the whole chunk with its padding.
type riffChunk struct {
	fourCC     string
	start, end int
	payload    []byte
}

// walkWebP calls fn for each chunk after the RIFF/WEBP header.
func walkWebP(data []byte, fn func(riffChunk) bool) error {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return corrupt("webp: no RIFF/WEBP header")
	}
	end := len(data)
	if n := int64(le32(data[4:8])) + 8; n < int64(end) {
		end = int(n) // bytes after the RIFF size are not part of the file
	}
	for i := 12; i < end; {
		if i+8 > end {
			return corrupt("webp: truncated chunk header at %d", i)
		}
		n := int64(le32(data[i+4 : i+8]))
		stop := int64(i) + 8 + n + n&1
		if int64(i)+8+n > int64(end) {
			return corrupt("webp: chunk %q length %d out of bounds", data[i:i+4], n)
		}
		if stop > int64(end) {
			stop = int64(end) // a missing pad byte at the very end is tolerated, as decoders do
		}
		c := riffChunk{fourCC: string(data[i : i+4]), start: i, end: int(stop), payload: data[i+8 : int64(i)+8+n]}
		if !fn(c) {
			return nil
		}
		i = int(stop)
	}
	return nil
}

func probeWebP(data []byte) (w, h int, bpp float64, err error) {
	var perr error
	first := true
	err = walkWebP(data, func(c riffChunk) bool {
		if !first {
			return false
		}
		first = false
		p := c.payload
		switch c.fourCC {
		case "VP8X":
			if len(p) < 10 {
				perr = corrupt("webp: short VP8X chunk")
				return false
			}
			w, h = int(le24(p[4:7]))+1, int(le24(p[7:10]))+1
			bpp = webpLosslessBPP // the image chunk (lossy with alpha or lossless) is not read here
			if p[0]&0x02 != 0 {
				bpp = webpAnimatedBPP
			}
		case "VP8 ":
			bpp = webpLossyBPP
			// frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height (2 scale bits each)
			if len(p) < 10 || p[3] != 0x9D || p[4] != 0x01 || p[5] != 0x2A {
				perr = corrupt("webp: bad VP8 frame header")
				return false
			}
			w, h = int(le16(p[6:8])&0x3FFF), int(le16(p[8:10])&0x3FFF)
		case "VP8L":
			if len(p) < 5 || p[0] != 0x2F {
				perr = corrupt("webp: bad VP8L header")
				return false
			}
			bits := le32(p[1:5])
			w, h = int(bits&0x3FFF)+1, int(bits>>14&0x3FFF)+1
			bpp = webpLosslessBPP
		default:
			perr = corrupt("webp: first chunk %q is not an image", c.fourCC)
		}
		return false
	})
	if err == nil {
		err = perr
	}
	if err == nil && first {
		err = corrupt("webp: no chunk")
	}
	return w, h, bpp, err
}
