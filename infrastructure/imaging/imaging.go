package imaging

import (
	"errors"
	"fmt"
)

// The media types this package tells apart. PDF is stored as a plain file (no pixels); SVG is only
// recognised so that the caller can refuse it by name: this package neither sanitizes nor rasterises it.
const (
	MIMEJPEG = "image/jpeg"
	MIMEPNG  = "image/png"
	MIMEGIF  = "image/gif"
	MIMEWebP = "image/webp"
	MIMEAVIF = "image/avif"
	MIMEPDF  = "application/pdf"
	MIMESVG  = "image/svg+xml"
)

var (
	// ErrUnsupported is a type this package cannot read (or an operation it does not offer for it).
	ErrUnsupported = errors.New("imaging: unsupported image type")
	// ErrCorrupt is a file whose bytes do not match its type (truncated, malformed header, bad data).
	ErrCorrupt = errors.New("imaging: corrupt image")
	// ErrTooManyPixels is an image above MaxPixels: it is never decoded.
	ErrTooManyPixels = errors.New("imaging: too many pixels")
	// ErrBadSpec is a rendition request outside what Render accepts (the caller answers 400).
	ErrBadSpec = errors.New("imaging: bad rendition parameters")
)

// MaxPixels is the ceiling above which Analyze and Render refuse to decode, whatever the caller's own
// (lower) limit says: a last defence against a decompression bomb that reached them without a check.
const MaxPixels = 1 << 28 // 268 MP

// Info is what Probe reads from a header.
type Info struct {
	MIME string
	// Width and Height are the displayed size: a 90° EXIF orientation (5..8) has swapped them.
	Width, Height int
	// Orientation is the EXIF orientation (1..8; 1 when there is none).
	Orientation int

	// decodeBytes is what decoding this very file takes (its subsampling, bit depth, interlacing,
	// codec), for EstimateMemory; 0 in an Info built by hand, which gets the bound of the worst file
	// of its type.
	decodeBytes int64
}

// Pixels is Width×Height, the figure a pixel limit is checked against.
func (i Info) Pixels() int64 { return int64(i.Width) * int64(i.Height) }

// Rasterable reports whether the type has pixels this package can decode (Analyze, Render).
func Rasterable(mime string) bool {
	switch mime {
	case MIMEJPEG, MIMEPNG, MIMEGIF, MIMEWebP, MIMEAVIF:
		return true
	}
	return false
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}
