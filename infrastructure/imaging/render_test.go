package imaging_test

import (
	"bytes"
	"context"
	"image"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

func mustProbe(t *testing.T, mime string, data []byte) imaging.Info {
	t.Helper()
	info, err := imaging.Probe(mime, data)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func TestRenderHasTheAskedSizeInEveryFormat(t *testing.T) {
	t.Parallel()
	src := pattern(300, 200)
	inputs := map[string][]byte{
		imaging.MIMEJPEG: encodeJPEG(t, src),
		imaging.MIMEPNG:  encodePNG(t, src),
		imaging.MIMEGIF:  encodeGIF(t, src),
		imaging.MIMEWebP: encodeWebP(t, src, false),
		imaging.MIMEAVIF: encodeAVIF(t, src),
	}
	for inMIME, data := range inputs {
		for _, c := range []struct {
			spec imaging.Spec
			w, h int
			mime string
		}{
			{imaging.Spec{Width: 160, Format: "jpg"}, 160, 107, imaging.MIMEJPEG},
			{imaging.Spec{Width: 160, Format: "webp"}, 160, 107, imaging.MIMEWebP},
			{imaging.Spec{Width: 97, Format: "png"}, 97, 65, imaging.MIMEPNG},
			{imaging.Spec{Width: 64, Format: "avif"}, 64, 43, imaging.MIMEAVIF},
			{imaging.Spec{Width: 120, Height: 120, Fit: "crop", FocalX: .5, FocalY: .5, Format: "jpg"}, 120, 120, imaging.MIMEJPEG},
			{imaging.Spec{Width: 120, Height: 60, Fit: "clip", Format: "jpg"}, 90, 60, imaging.MIMEJPEG},
			{imaging.Spec{Width: 640, Fit: "max", Format: "png"}, 300, 200, imaging.MIMEPNG},
			{imaging.Spec{Width: 640, Format: "png"}, 640, 427, imaging.MIMEPNG}, // clip may enlarge
		} {
			out, mime, err := imaging.Render(context.Background(), inMIME, data, c.spec)
			if err != nil {
				t.Fatalf("%s %+v: %v", inMIME, c.spec, err)
			}
			sniffed, _ := imaging.Sniff(out)
			info := mustProbe(t, sniffed, out)
			if mime != c.mime || sniffed != c.mime || info.Width != c.w || info.Height != c.h {
				t.Errorf("%s %+v: got %s (sniffed %s) %d×%d, want %s %d×%d", inMIME, c.spec, mime, sniffed, info.Width, info.Height, c.mime, c.w, c.h)
			}
		}
	}
}

// pattern()'s quadrants differ in blue (0, 80 on top; 160, 240 below), with the boundaries at the
// middle: where a boundary lands in a crop tells where the window was.
func TestRenderCropCentresOnTheFocalPoint(t *testing.T) {
	t.Parallel()
	data := encodePNG(t, pattern(400, 300))
	crop := func(w, h int, fx, fy float64) image.Image {
		out, _, err := imaging.Render(context.Background(), imaging.MIMEPNG, data,
			imaging.Spec{Width: w, Height: h, Fit: "crop", Format: "png", FocalX: fx, FocalY: fy})
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			t.Fatalf("crop %d×%d is %v", w, h, img.Bounds())
		}
		return img
	}
	blue := func(img image.Image, x, y int) float64 {
		_, _, b, _ := img.At(x, y).RGBA()
		return float64(b >> 8)
	}
	// a square crop of the 400×300 image is a 300×300 window that slides horizontally: the vertical
	// boundary (source x = 200) lands at (200 - x0) / 3 in the 100 px output
	for _, c := range []struct{ fx, boundary float64 }{{0, 66.7}, {.5, 50}, {1, 33.3}, {.1, 66.7}, {.9, 33.3}} {
		img := crop(100, 100, c.fx, .5)
		edge := 0
		for x := range 100 {
			if blue(img, x, 10) > 40 {
				edge = x
				break
			}
		}
		if abs(float64(edge)-c.boundary) > 1.5 {
			t.Errorf("focal x %.1f: boundary at column %d, want %.1f", c.fx, edge, c.boundary)
		}
	}
	// a 100×25 crop is a 400×100 window that slides vertically: focal y 0 shows only the top half,
	// 1 only the bottom half, 0.5 the boundary (source y = 150) at output row 12.5
	for _, c := range []struct {
		fy       float64
		top, bot float64
	}{{0, 0, 0}, {.5, 0, 160}, {1, 160, 160}} {
		img := crop(100, 25, .5, c.fy)
		if got := blue(img, 5, 2); abs(got-c.top) > 8 {
			t.Errorf("focal y %.1f: top row blue %.0f, want %.0f", c.fy, got, c.top)
		}
		if got := blue(img, 5, 22); abs(got-c.bot) > 8 {
			t.Errorf("focal y %.1f: bottom row blue %.0f, want %.0f", c.fy, got, c.bot)
		}
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
