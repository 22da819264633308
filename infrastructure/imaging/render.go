package imaging

import (
	"context"
)

// Spec is one rendition: the imgix-style parameters the delivery endpoint accepts, already validated
// against the configured ladder by the caller.
type Spec struct {
	// Width is the output width in pixels; Height 0 keeps the aspect ratio.
	Width, Height int
	// Fit is "crop" (fill Width×Height, cropped around the focal point), "clip" (fit inside, aspect
	// kept) or "max" (like clip, never larger than the original); empty means "clip".
	Fit string
	// Format is "jpg", "png", "webp" or "avif".
	Format string
	// Quality is 1..100 for the lossy formats; 0 means the format's default.
	Quality int
	// FocalX, FocalY is the point the crop centres on, each 0..1 (0.5, 0.5 is the centre).
	FocalX, FocalY float64
}

// Render makes one rendition of data as spec asks. Not implemented yet.
func Render(ctx context.Context, mime string, data []byte, spec Spec) (out []byte, outMIME string, err error) {
	return nil, "", unsupported("render: not implemented yet")
}

// EstimateMemory is the decode and scale working set, in bytes, of rendering an image of info.
func EstimateMemory(info Info, spec Spec) int64 {
	return info.Pixels()*8 + int64(spec.Width)*int64(max(spec.Height, info.Height))*32
}
