package imaging

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"golang.org/x/image/draw"
)

// The streaming scaler against golang.org/x/image/draw's CatmullRom on the same decoded 12 MP
// YCbCr image, to 1280 wide: time and bytes allocated per scale.
func BenchmarkScale12MPTo1280(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	for y := range 3000 {
		for x := range 4000 {
			src.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, nil); err != nil {
		b.Fatal(err)
	}
	img, err := jpeg.Decode(&buf)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("streaming", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := resample(context.Background(), img, window{0, 0, 4000, 3000}, 1280, 960); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("x-image-draw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			dst := image.NewRGBA(image.Rect(0, 0, 1280, 960))
			draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
		}
	})
}
