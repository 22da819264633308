package imaging

// The memory model: decoding holds the file's pixels (and the WASM decoders their own copies in their
// linear memory, which wazero grows by reallocation, so an old and a new copy coexist for a moment);
// scaling holds the output and a few rows; encoding holds the output again and the encoder's buffers.
// The factors below are bytes per pixel measured with TestEstimateMemoryIsAnUpperBound's method
// (heap sampled every millisecond, see the package doc for the figures), rounded up with a margin.
const (
	mib = 1 << 20

	// decoding, per source pixel (plus decodeSlack); JPEG and PNG factors are computed per file
	jpegWorstBPP     = 3*5 + 4     // 4:4:4, progressive, CMYK
	pngWorstBPP      = 16          // 16-bit RGBA, interlaced
	gifBPP           = 5           // the paletted frame, and an RGBA canvas when it is smaller than the screen
	webpLossyBPP     = 2.5         // YCbCr 4:2:0 (measured 1.9-2.1)
	webpLosslessBPP  = 6           // NRGBA and the decoder's pixel words (measured 4.2-4.3); also lossy+alpha
	webpAnimatedBPP  = 96          // libwebp in WASM: not measured (no encoder writes animations here); as AVIF
	avifBPP          = 96          // libavif in WASM: YUV planes, RGBA in linear memory, the Go copy (measured 70-77)
	avifHighDepthBPP = 2 * avifBPP // 10/12-bit: every buffer twice as wide; not measured (no such encoder here)
	decodeMargin     = 1.15
	decodeSlack      = 2 * mib

	// scaling and encoding, per output pixel (plus the encoder's fixed part)
	scaleBPP      = 4 * 3 // the scaled image, its upright copy, the JPEG's flattened copy
	jpegEncodeBPP = 6     // measured 4.2-5.1
	pngEncodeBPP  = 12    // measured 5.3-9.6
	webpEncodeBPP = 44    // libwebp in WASM (measured 26-38)
	avifEncodeBPP = 160   // libaom in WASM (measured 80-141)
	wasmFixed     = 48 * mib
)

// decodeWorkingSet is the decoder's working set for a file of px pixels at bpp bytes per pixel (0:
// the worst of its type); the WASM decoders also copy the file into their memory.
func decodeWorkingSet(mime string, px int64, bpp float64, fileBytes int) int64 {
	wasm := false
	switch mime {
	case MIMEJPEG:
		bpp = or(bpp, jpegWorstBPP)
	case MIMEPNG:
		bpp = or(bpp, pngWorstBPP)
	case MIMEGIF:
		bpp = gifBPP
	case MIMEWebP:
		bpp = or(bpp, webpAnimatedBPP)
		wasm = bpp == webpAnimatedBPP
	case MIMEAVIF:
		bpp, wasm = or(bpp, avifHighDepthBPP), true
	default:
		return 0
	}
	n := int64(float64(px)*bpp*decodeMargin) + decodeSlack
	if wasm {
		n += 2*int64(fileBytes) + wasmFixed
	}
	return n
}

func or(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// EstimateMemory is an upper bound, in bytes, of the memory that rendering an image of info as spec
// asks takes at its peak (Go heap, the WASM codecs' linear memory included): the decoded original,
// the decoder's buffers, the scaled output and the encoder's. A memory budget (a weighted
// semaphore) acquires it before Render; an estimate above the whole budget means the image cannot be
// rendered within it (refuse, or run it alone). A zero Spec estimates Analyze. Use the Info that
// Probe returned for the very file: it knows the file's subsampling, bit depth and codec; an Info
// built by hand gets the bound of the worst file of its type.
func EstimateMemory(info Info, spec Spec) int64 {
	dec := info.decodeBytes
	if dec == 0 {
		dec = decodeWorkingSet(info.MIME, info.Pixels(), 0, 0)
		if info.MIME == MIMEAVIF || info.MIME == MIMEWebP {
			dec += 64 * mib // the file's copy in WASM memory, for a file we do not know
		}
	}
	if spec.Width == 0 { // Analyze: a thumbnail of at most 64×64
		return dec + 1*mib
	}
	_, format, err := checkSpec(info.MIME, spec)
	if err != nil || info.Width <= 0 || info.Height <= 0 {
		return dec + int64(MaxSide)*MaxSide*(scaleBPP+avifEncodeBPP) + wasmFixed // Render refuses it anyway
	}
	_, dw, dh := layout(info, spec)
	out := int64(dw) * int64(dh)
	enc := out*scaleBPP + 1*mib + int64(info.Width)*16 // the scaler's source row of float32 RGBA
	switch format {
	case MIMEJPEG:
		enc += out * jpegEncodeBPP
	case MIMEPNG:
		enc += out * pngEncodeBPP
	case MIMEWebP:
		enc += out*webpEncodeBPP + wasmFixed
	case MIMEAVIF:
		enc += out*avifEncodeBPP + wasmFixed
	}
	return dec + enc
}
