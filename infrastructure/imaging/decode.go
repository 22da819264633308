package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
	xwebp "golang.org/x/image/webp"
)

// decode probes data, refuses it above MaxPixels, and decodes it in stored orientation (Info says how
// to turn it). JPEG, PNG, GIF and still WebP use pure Go decoders; animated WebP and AVIF the WASM
// builds of libwebp and libavif (see the package doc for their cost).
func decode(mime string, data []byte) (image.Image, Info, error) {
	info, err := Probe(mime, data)
	if err != nil {
		return nil, Info{}, err
	}
	if !Rasterable(mime) {
		return nil, Info{}, unsupported("%s has no pixels to decode", mime)
	}
	if info.Pixels() > MaxPixels {
		return nil, Info{}, fmt.Errorf("%w: %d×%d is above %d pixels", ErrTooManyPixels, info.Width, info.Height, MaxPixels)
	}
	var img image.Image
	r := bytes.NewReader(data)
	switch mime {
	case MIMEJPEG:
		img, err = jpeg.Decode(r)
	case MIMEPNG:
		img, err = png.Decode(r)
	case MIMEGIF:
		img, err = decodeGIF(data)
	case MIMEWebP:
		if animatedWebP(data) {
			img, err = webp.Decode(r) // the first frame; x/image/webp reads no animation
		} else {
			img, err = xwebp.Decode(r)
			img = studioRange(img)
		}
	case MIMEAVIF:
		img, err = avif.Decode(r)
	}
	var jpegFeature jpeg.UnsupportedError
	var pngFeature png.UnsupportedError
	switch {
	case errors.As(err, &jpegFeature), errors.As(err, &pngFeature):
		return nil, Info{}, unsupported("decode %s: %v", mime, err) // e.g. arithmetic-coded JPEG
	case err != nil:
		return nil, Info{}, corrupt("decode %s: %v", mime, err)
	}
	sw, sh := info.Width, info.Height
	if swapsAxes(info.Orientation) {
		sw, sh = sh, sw
	}
	if b := img.Bounds(); b.Dx() != sw || b.Dy() != sh {
		return nil, Info{}, corrupt("decode %s: header says %d×%d, pixels are %d×%d", mime, sw, sh, b.Dx(), b.Dy())
	}
	return img, info, nil
}

// decodeGIF returns the first frame on the logical screen: a first frame smaller than the screen is
// placed where it belongs, on transparency.
func decodeGIF(data []byte) (image.Image, error) {
	cfg, err := gif.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	frame, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	screen := image.Rect(0, 0, cfg.Width, cfg.Height)
	if frame.Bounds() == screen {
		return frame, nil
	}
	canvas := image.NewNRGBA(screen)
	draw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return canvas, nil
}

// animatedWebP reports the VP8X animation flag.
func animatedWebP(data []byte) bool {
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0
}

// VP8 (lossy WebP) stores BT.601 "studio range" YCbCr (Y in 16..235), but x/image/webp returns it as
// an image.YCbCr, whose conversion is JFIF full range: read as such, every colour loses contrast
// (200,30,40 came back as 190,40,49). These wrappers tell the scaler's row reader which formula
// to use; nothing else reads the decoded image.
type (
	studioYCbCr   struct{ *image.YCbCr }
	studioNYCbCrA struct{ *image.NYCbCrA }
)

func studioRange(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.YCbCr:
		return studioYCbCr{m}
	case *image.NYCbCrA:
		return studioNYCbCrA{m}
	}
	return img
}
