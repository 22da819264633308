package imaging

import (
	"context"
	"fmt"
	"image"

	"github.com/buckket/go-blurhash"
)

// Analysis is what an upload's answer carries besides the size.
type Analysis struct {
	// Placeholder is the encoded placeholder, of kind PlaceholderKind.
	Placeholder string
	// PlaceholderKind is "blurhash" (https://blurha.sh): the thumbhash modules were refused by the
	// module proxy, and blurhash has decoders for every client platform.
	PlaceholderKind string
	// DominantColor is "#rrggbb": the most common colour of the image on white.
	DominantColor string
}

// thumbSide bounds the thumbnail both figures are computed from: more pixels change neither.
const thumbSide = 64

// Analyze decodes data (refusing more than MaxPixels; the caller has already held Probe's Info to its
// own lower limit) and computes its blurhash and dominant colour from a 64 px thumbnail turned
// upright. Animations use their first frame.
func Analyze(mime string, data []byte) (Analysis, error) {
	img, info, err := decode(mime, data)
	if err != nil {
		return Analysis{}, err
	}
	scale := min(float64(thumbSide)/float64(info.Width), float64(thumbSide)/float64(info.Height), 1)
	tw, th := max(int(float64(info.Width)*scale+0.5), 1), max(int(float64(info.Height)*scale+0.5), 1)
	ow, oh := tw, th
	if swapsAxes(info.Orientation) {
		ow, oh = th, tw
	}
	sw, sh := img.Bounds().Dx(), img.Bounds().Dy()
	win := storedWindow(info.Orientation, window{0, 0, float64(info.Width), float64(info.Height)}, sw, sh)
	small, err := resample(context.Background(), img, win, ow, oh)
	if err != nil {
		return Analysis{}, err
	}
	thumb := flatten(orient(info.Orientation, small))
	x, y := 4, 3
	if th > tw {
		x, y = 3, 4
	}
	hash, err := blurhash.Encode(x, y, thumb)
	if err != nil {
		return Analysis{}, fmt.Errorf("imaging: blurhash: %w", err)
	}
	return Analysis{Placeholder: hash, PlaceholderKind: "blurhash", DominantColor: dominant(thumb)}, nil
}

// dominant returns the mean colour of the most populated cell of a 4-bit-per-channel histogram: the
// mean of all pixels would give a grey nobody sees in the picture.
func dominant(m image.Image) string {
	type cell struct{ n, r, g, b int }
	cells := map[int]*cell{}
	best := (*cell)(nil)
	bnd := m.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			r, g, b, _ := m.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			k := int(r>>4)<<8 | int(g>>4)<<4 | int(b>>4)
			c := cells[k]
			if c == nil {
				c = &cell{}
				cells[k] = c
			}
			c.n++
			c.r, c.g, c.b = c.r+int(r), c.g+int(g), c.b+int(b)
			if best == nil || c.n > best.n {
				best = c
			}
		}
	}
	return fmt.Sprintf("#%02x%02x%02x", best.r/best.n, best.g/best.n, best.b/best.n)
}
