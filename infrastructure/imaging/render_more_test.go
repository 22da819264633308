package imaging_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"strings"
	"testing"

	"github.com/buckket/go-blurhash"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

func renderPNG(t *testing.T, mime string, data []byte, spec imaging.Spec) image.Image {
	t.Helper()
	spec.Format = "png"
	out, _, err := imaging.Render(context.Background(), mime, data, spec)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func blueAt(img image.Image, x, y int) float64 {
	_, _, b, _ := img.At(x, y).RGBA()
	return float64(b >> 8)
}

// A JPEG stored 64×48 with orientation 6 displays 48×64, turned 90° clockwise: the stored top-left
// quadrant (blue 0) is displayed top-right, the stored bottom-left (160) top-left.
func TestRenderTurnsOrientedJPEGsUpright(t *testing.T) {
	t.Parallel()
	data := withJPEGMetadata(encodeJPEG(t, pattern(64, 48)), 6)
	img := renderPNG(t, imaging.MIMEJPEG, data, imaging.Spec{Width: 24})
	if img.Bounds().Dx() != 24 || img.Bounds().Dy() != 32 {
		t.Fatalf("size %v, want 24×32", img.Bounds())
	}
	for _, c := range []struct {
		x, y int
		blue float64
	}{{20, 3, 0}, {3, 3, 160}, {20, 28, 80}, {3, 28, 240}} {
		if got := blueAt(img, c.x, c.y); abs(got-c.blue) > 12 {
			t.Errorf("pixel %d,%d blue %.0f, want %.0f", c.x, c.y, got, c.blue)
		}
	}
	// every orientation ends with the same upright picture as the plain file turned by hand
	for o := 2; o <= 8; o++ {
		img := renderPNG(t, imaging.MIMEJPEG, withJPEGMetadata(encodeJPEG(t, pattern(64, 48)), o), imaging.Spec{Width: 16})
		want := map[bool]int{true: 21, false: 12}[o >= 5]
		if img.Bounds().Dy() != want {
			t.Errorf("orientation %d: %v", o, img.Bounds())
		}
	}
}

func TestRenderRefusals(t *testing.T) {
	t.Parallel()
	png := encodePNG(t, pattern(32, 32))
	bomb := append([]byte{}, png...)
	binary.BigEndian.PutUint32(bomb[16:], 100000)
	binary.BigEndian.PutUint32(bomb[20:], 100000)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for name, c := range map[string]struct {
		ctx  context.Context
		mime string
		data []byte
		spec imaging.Spec
		want error
	}{
		"width 0":        {context.Background(), imaging.MIMEPNG, png, imaging.Spec{}, imaging.ErrBadSpec},
		"huge width":     {context.Background(), imaging.MIMEPNG, png, imaging.Spec{Width: 100000}, imaging.ErrBadSpec},
		"unknown fit":    {context.Background(), imaging.MIMEPNG, png, imaging.Spec{Width: 10, Fit: "fill"}, imaging.ErrBadSpec},
		"unknown format": {context.Background(), imaging.MIMEPNG, png, imaging.Spec{Width: 10, Format: "bmp"}, imaging.ErrBadSpec},
		"quality 101":    {context.Background(), imaging.MIMEPNG, png, imaging.Spec{Width: 10, Quality: 101}, imaging.ErrBadSpec},
		"focal outside":  {context.Background(), imaging.MIMEPNG, png, imaging.Spec{Width: 10, FocalX: 1.5}, imaging.ErrBadSpec},
		"pdf":            {context.Background(), imaging.MIMEPDF, []byte("%PDF-1.4"), imaging.Spec{Width: 10}, imaging.ErrUnsupported},
		"bomb":           {context.Background(), imaging.MIMEPNG, bomb, imaging.Spec{Width: 10}, imaging.ErrTooManyPixels},
		"truncated":      {context.Background(), imaging.MIMEPNG, png[:len(png)/2], imaging.Spec{Width: 10}, imaging.ErrCorrupt},
		"cancelled":      {cancelled, imaging.MIMEPNG, png, imaging.Spec{Width: 10}, context.Canceled},
	} {
		if _, _, err := imaging.Render(c.ctx, c.mime, c.data, c.spec); !errors.Is(err, c.want) {
			t.Errorf("%s: Render = %v, want %v", name, err, c.want)
		}
	}
	if _, err := imaging.Analyze(imaging.MIMEPNG, bomb); !errors.Is(err, imaging.ErrTooManyPixels) {
		t.Errorf("Analyze(bomb) = %v", err)
	}
}

// An animated GIF renders its first frame; the second (a different colour) is ignored.
func TestRenderUsesTheFirstFrameOfAnAnimation(t *testing.T) {
	t.Parallel()
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	frame := func(i uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 40, 20), pal)
		for j := range m.Pix {
			m.Pix[j] = i
		}
		return m
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame(0), frame(1)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	img := renderPNG(t, imaging.MIMEGIF, b.Bytes(), imaging.Spec{Width: 20})
	if r, _, bl, _ := img.At(10, 5).RGBA(); r>>8 != 255 || bl != 0 {
		t.Fatalf("pixel %v, want the first frame's red", img.At(10, 5))
	}
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	// mostly one colour with a smaller patch of another: the dominant colour is the first
	solid := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			c := color.NRGBA{200, 30, 40, 255}
			if x > 150 {
				c = color.NRGBA{10, 90, 200, 255}
			}
			solid.SetNRGBA(x, y, c)
		}
	}
	for _, c := range []struct {
		name, mime string
		data       []byte
		color      string
	}{
		{"png", imaging.MIMEPNG, encodePNG(t, solid), "#c81e28"},
		{"webp lossless", imaging.MIMEWebP, encodeWebP(t, solid, true), "#c81e28"},
		{"jpeg", imaging.MIMEJPEG, encodeJPEG(t, solid), ""},
		{"avif", imaging.MIMEAVIF, encodeAVIF(t, solid), ""},
		{"gif", imaging.MIMEGIF, encodeGIF(t, solid), ""},
	} {
		a, err := imaging.Analyze(c.mime, c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if a.PlaceholderKind != "blurhash" || len(a.DominantColor) != 7 || !strings.HasPrefix(a.DominantColor, "#") {
			t.Fatalf("%s: %+v", c.name, a)
		}
		if c.color != "" && !closeColor(a.DominantColor, c.color) {
			t.Errorf("%s: dominant %s, want %s", c.name, a.DominantColor, c.color)
		}
		if x, y, err := blurhash.Components(a.Placeholder); err != nil || x != 4 || y != 3 {
			t.Errorf("%s: blurhash %q: %d×%d components, %v", c.name, a.Placeholder, x, y, err)
		}
		// the placeholder decodes to a picture that is red on the left and blue on the right
		ph, err := blurhash.Decode(a.Placeholder, 32, 16, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r, _, _, _ := ph.At(4, 8).RGBA(); r>>8 < 120 {
			t.Errorf("%s: placeholder left is not red: %v", c.name, ph.At(4, 8))
		}
		if _, _, b, _ := ph.At(31, 8).RGBA(); b>>8 < 90 {
			t.Errorf("%s: placeholder right is not blue: %v", c.name, ph.At(31, 8))
		}
	}
	// a portrait (orientation 6 turns the landscape upright as portrait) gets 3×4 components
	a, err := imaging.Analyze(imaging.MIMEJPEG, withJPEGMetadata(encodeJPEG(t, pattern(64, 48)), 6))
	if err != nil {
		t.Fatal(err)
	}
	if x, y, _ := blurhash.Components(a.Placeholder); x != 3 || y != 4 {
		t.Errorf("portrait: %d×%d components", x, y)
	}
}

// closeColor compares "#rrggbb" colours within 3 per channel: the thumbnail's filter blends the
// pixels next to an edge, and a few of them fall in the dominant cell.
func closeColor(a, b string) bool {
	var r1, g1, b1, r2, g2, b2 int
	if _, err := fmt.Sscanf(a, "#%02x%02x%02x", &r1, &g1, &b1); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(b, "#%02x%02x%02x", &r2, &g2, &b2); err != nil {
		return false
	}
	return abs(float64(r1-r2)) <= 3 && abs(float64(g1-g2)) <= 3 && abs(float64(b1-b2)) <= 3
}

// A conversion keeps the picture: each format's output converted back to PNG is close to the
// source (exact for PNG at the same size, where the filter is the identity).
func TestRenderFormatConversionRoundTrips(t *testing.T) {
	t.Parallel()
	src := pattern(120, 80)
	data := encodePNG(t, src)
	for _, c := range []struct {
		format string
		tol    float64
	}{{"png", 0}, {"jpg", 4}, {"webp", 4}, {"avif", 6}} {
		out, mime, err := imaging.Render(context.Background(), imaging.MIMEPNG, data, imaging.Spec{Width: 120, Format: c.format, Quality: 90})
		if err != nil {
			t.Fatal(err)
		}
		back := renderPNG(t, mime, out, imaging.Spec{Width: 120})
		var diff float64
		for y := range 80 {
			for x := range 120 {
				r1, g1, b1, _ := src.At(x, y).RGBA()
				r2, g2, b2, _ := back.At(x, y).RGBA()
				diff += abs(float64(r1>>8)-float64(r2>>8)) + abs(float64(g1>>8)-float64(g2>>8)) + abs(float64(b1>>8)-float64(b2>>8))
			}
		}
		if mean := diff / (120 * 80 * 3); mean > c.tol {
			t.Errorf("%s: mean difference %.2f per channel after a round trip, want <= %.0f", c.format, mean, c.tol)
		}
	}
}

// 16-bit images (PNG here; 10-bit AVIF decodes the same way) take the RGBA64 path of the scaler.
func TestRenderSixteenBitImages(t *testing.T) {
	t.Parallel()
	src := image.NewRGBA64(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			src.SetRGBA64(x, y, color.RGBA64{uint16(x * 1600), 0x8080, 0x2020, 0xFFFF})
		}
	}
	back := renderPNG(t, imaging.MIMEPNG, encodePNG(t, src), imaging.Spec{Width: 40})
	for _, x := range []int{0, 17, 39} {
		r, g, b, _ := back.At(x, 7).RGBA()
		if want := uint32(x * 1600 >> 8); abs(float64(r>>8)-float64(want)) > 1 || g>>8 != 0x80 || b>>8 != 0x20 {
			t.Errorf("pixel %d: %d,%d,%d, want %d,128,32", x, r>>8, g>>8, b>>8, want)
		}
	}
}
