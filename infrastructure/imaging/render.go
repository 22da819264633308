package imaging

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
)

// Spec is one rendition: the imgix-style parameters of the delivery endpoint, already checked
// against the configured width ladder by the caller.
type Spec struct {
	// Width is the output width in pixels (1..MaxSide); Height 0 keeps the aspect ratio.
	Width, Height int
	// Fit is "crop" (fill Width×Height, the window centred on the focal point; with Height 0 there is
	// nothing to crop and it acts as clip), "clip" (fit inside Width×Height, aspect kept, enlarging a
	// smaller original; the default) or "max" (like clip, but never larger than the original).
	Fit string
	// Format is "jpg", "png", "webp" or "avif"; empty keeps the original's family (GIF becomes PNG).
	Format string
	// Quality is 1..100 for the lossy formats; 0 means DefaultQuality.
	Quality int
	// FocalX, FocalY is the point a crop centres on, each 0..1 (the caller passes the asset's focal
	// point, 0.5, 0.5 unless an editor moved it; 0, 0 is the top left corner, not a default).
	FocalX, FocalY float64
}

// The limits of a Spec; beyond them Render answers ErrBadSpec.
const (
	MaxSide        = 8192
	DefaultQuality = 80
	// avifSpeed trades AVIF encoding time for size: libaom at 8 encodes a 1280 px rendition in about
	// a second where its default (6) takes several.
	avifSpeed = 8
)

// Render makes one rendition of data (of the type Sniff reported). It probes, refuses more than
// MaxPixels, decodes (the first frame of an animation), cuts the window the fit asks for — around the
// focal point for a crop, given in displayed coordinates — scales it with a Catmull-Rom filter,
// turns it upright (the output has no EXIF) and encodes it. ctx is checked between the stages and
// every 64 output rows while scaling; the WASM encoders cannot be interrupted once started.
func Render(ctx context.Context, mime string, data []byte, spec Spec) (out []byte, outMIME string, err error) {
	format, outMIME, err := checkSpec(mime, spec)
	if err != nil {
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	img, info, err := decode(mime, data)
	if err != nil {
		return nil, "", err
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	win, dw, dh := layout(info, spec)
	sw, sh := img.Bounds().Dx(), img.Bounds().Dy()
	ow, oh := dw, dh
	if swapsAxes(info.Orientation) {
		ow, oh = dh, dw
	}
	scaled, err := resample(ctx, img, storedWindow(info.Orientation, win, sw, sh), ow, oh)
	if err != nil {
		return nil, "", err
	}
	result := orient(info.Orientation, scaled)
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	out, err = encode(result, format, spec.Quality)
	if err != nil {
		return nil, "", err
	}
	return out, outMIME, nil
}

func checkSpec(mime string, spec Spec) (format, outMIME string, err error) {
	if !Rasterable(mime) {
		return "", "", unsupported("render %q", mime)
	}
	switch {
	case spec.Width < 1 || spec.Width > MaxSide:
		return "", "", fmt.Errorf("%w: width %d outside 1..%d", ErrBadSpec, spec.Width, MaxSide)
	case spec.Height < 0 || spec.Height > MaxSide:
		return "", "", fmt.Errorf("%w: height %d outside 0..%d", ErrBadSpec, spec.Height, MaxSide)
	case spec.Quality < 0 || spec.Quality > 100:
		return "", "", fmt.Errorf("%w: quality %d outside 0..100", ErrBadSpec, spec.Quality)
	case !(spec.FocalX >= 0 && spec.FocalX <= 1 && spec.FocalY >= 0 && spec.FocalY <= 1):
		return "", "", fmt.Errorf("%w: focal point %v,%v outside 0..1", ErrBadSpec, spec.FocalX, spec.FocalY)
	}
	switch spec.Fit {
	case "", "clip", "max", "crop":
	default:
		return "", "", fmt.Errorf("%w: fit %q", ErrBadSpec, spec.Fit)
	}
	format = spec.Format
	if format == "" {
		format = map[string]string{MIMEJPEG: "jpg", MIMEPNG: "png", MIMEGIF: "png", MIMEWebP: "webp", MIMEAVIF: "avif"}[mime]
	}
	switch format {
	case "jpg", "jpeg":
		return "jpg", MIMEJPEG, nil
	case "png":
		return "png", MIMEPNG, nil
	case "webp":
		return "webp", MIMEWebP, nil
	case "avif":
		return "avif", MIMEAVIF, nil
	}
	return "", "", fmt.Errorf("%w: format %q", ErrBadSpec, spec.Format)
}

// layout returns the window of the displayed image to scale and the output size.
func layout(info Info, spec Spec) (win window, dw, dh int) {
	W, H := float64(info.Width), float64(info.Height)
	w, h := float64(spec.Width), float64(spec.Height)
	full := window{0, 0, W, H}
	if spec.Fit == "crop" && spec.Height > 0 {
		scale := max(w/W, h/H)
		cw, ch := min(w/scale, W), min(h/scale, H)
		x0 := math.Min(math.Max(spec.FocalX*W-cw/2, 0), W-cw)
		y0 := math.Min(math.Max(spec.FocalY*H-ch/2, 0), H-ch)
		return window{x0, y0, cw, ch}, spec.Width, spec.Height
	}
	scale := w / W
	if spec.Height > 0 {
		scale = min(scale, h/H)
	}
	if spec.Fit == "max" && scale > 1 {
		scale = 1
	}
	dw, dh = max(int(math.Round(W*scale)), 1), max(int(math.Round(H*scale)), 1)
	if spec.Height == 0 && (spec.Fit != "max" || scale < 1) {
		dw = spec.Width // exactly the asked width, whatever the rounding of the scale
	}
	return full, dw, dh
}

func encode(m *image.RGBA, format string, quality int) ([]byte, error) {
	if quality == 0 {
		quality = DefaultQuality
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "jpg":
		err = jpeg.Encode(&b, flatten(m), &jpeg.Options{Quality: quality})
	case "png":
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&b, m)
	case "webp":
		err = webp.Encode(&b, m, webp.Options{Quality: quality, Method: webp.DefaultMethod})
	case "avif":
		err = avif.Encode(&b, m, avif.Options{Quality: quality, QualityAlpha: quality, Speed: avifSpeed,
			ChromaSubsampling: image.YCbCrSubsampleRatio420})
	}
	if err != nil {
		return nil, fmt.Errorf("imaging: encode %s: %w", format, err)
	}
	return b.Bytes(), nil
}

// flatten puts a translucent image on white: JPEG has no alpha, and the premultiplied pixels would
// otherwise turn transparency black.
func flatten(m *image.RGBA) image.Image {
	if m.Opaque() {
		return m
	}
	out := image.NewRGBA(m.Bounds())
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), m, m.Bounds().Min, draw.Over)
	return out
}
