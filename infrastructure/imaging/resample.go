package imaging

import (
	"context"
	"image"
	"image/color"
	"math"
)

// The resampler is a separable Catmull-Rom filter (the kernel of x/image/draw.CatmullRom) that streams
// the source: each source row is converted and scaled horizontally once, into a ring of the few rows
// the vertical pass still needs. golang.org/x/image/draw keeps the whole horizontally scaled image
// instead, dstWidth×srcHeight×32 bytes (123 MB for a 12 MP photo at 1280 wide), which would dwarf the
// decoded image itself; here the working set beyond the source and the destination is a few rows.

// window is a rectangle of the source in continuous pixel coordinates.
type window struct{ x0, y0, w, h float64 }

// taps are the weights of one output column (or row) over a run of source columns (rows).
type taps struct {
	first []int     // first source index per output index
	count []int     // number of weights per output index
	w     []float32 // all weights, output index after output index
	off   []int     // offset of each output index's weights in w
	lo    int       // smallest source index used
	hi    int       // one past the largest
	span  int       // largest count
}

func catmullRom(t float64) float64 {
	switch {
	case t < 1:
		return (1.5*t-2.5)*t*t + 1
	case t < 2:
		return ((-0.5*t+2.5)*t-4)*t + 2
	}
	return 0
}

// makeTaps maps n outputs onto the source interval [start, start+length) of an axis of size limit.
// Weights falling outside [0, limit) are dropped and the rest renormalised, so edges are not darkened.
func makeTaps(n int, start, length float64, limit int) taps {
	scale := length / float64(n)
	support := 2.0
	argScale := 1.0
	if scale > 1 { // shrinking: widen the kernel so that every source pixel counts
		support *= scale
		argScale = 1 / scale
	}
	t := taps{first: make([]int, n), count: make([]int, n), off: make([]int, n), lo: limit}
	for i := range n {
		c := start + (float64(i)+0.5)*scale - 0.5
		a := max(int(math.Floor(c-support)), 0)
		b := min(int(math.Ceil(c+support)), limit-1)
		if b < a { // a window entirely outside the image cannot happen, but never loop on one
			a, b = min(max(int(c), 0), limit-1), min(max(int(c), 0), limit-1)
		}
		t.off[i] = len(t.w)
		var sum float64
		for s := a; s <= b; s++ {
			sum += catmullRom(math.Abs((c - float64(s)) * argScale))
		}
		for s := a; s <= b; s++ {
			w := catmullRom(math.Abs((c - float64(s)) * argScale))
			if sum != 0 {
				w /= sum
			} else if s == a {
				w = 1
			}
			t.w = append(t.w, float32(w))
		}
		t.first[i], t.count[i] = a, b-a+1
		t.span = max(t.span, b-a+1)
		t.lo, t.hi = min(t.lo, a), max(t.hi, b+1)
	}
	return t
}

// resample scales the window win of src (in src's own coordinates from Bounds().Min) to a dw×dh
// RGBA image (premultiplied, as image.RGBA is).
func resample(ctx context.Context, src image.Image, win window, dw, dh int) (*image.RGBA, error) {
	b := src.Bounds()
	tx := makeTaps(dw, win.x0, win.w, b.Dx())
	ty := makeTaps(dh, win.y0, win.h, b.Dy())
	read := rowReader(src)
	row := make([]float32, (tx.hi-tx.lo)*4)
	ring := make([][]float32, ty.span)
	for i := range ring {
		ring[i] = make([]float32, dw*4)
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	next := ty.lo
	for y := range dh {
		if y%64 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		first, count := ty.first[y], ty.count[y]
		next = max(next, first)
		for ; next < first+count; next++ {
			read(next+b.Min.Y, tx.lo+b.Min.X, tx.hi+b.Min.X, row)
			scaleRow(ring[next%len(ring)], row, &tx)
		}
		ws := ty.w[ty.off[y] : ty.off[y]+count]
		out := dst.Pix[y*dst.Stride : y*dst.Stride+dw*4]
		for x := 0; x < dw*4; x += 4 {
			var r, g, bl, a float32
			for k, w := range ws {
				h := ring[(first+k)%len(ring)][x : x+4 : x+4]
				r += w * h[0]
				g += w * h[1]
				bl += w * h[2]
				a += w * h[3]
			}
			av := clamp8(a)
			out[x+0], out[x+1], out[x+2], out[x+3] = min(clamp8(r), av), min(clamp8(g), av), min(clamp8(bl), av), av
		}
	}
	return dst, nil
}

func scaleRow(dst, row []float32, t *taps) {
	for i := range t.first {
		ws := t.w[t.off[i] : t.off[i]+t.count[i]]
		base := (t.first[i] - t.lo) * 4
		var r, g, b, a float32
		for k, w := range ws {
			p := row[base+k*4 : base+k*4+4 : base+k*4+4]
			r += w * p[0]
			g += w * p[1]
			b += w * p[2]
			a += w * p[3]
		}
		d := dst[i*4 : i*4+4 : i*4+4]
		d[0], d[1], d[2], d[3] = r, g, b, a
	}
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// rowReader returns a function that writes the premultiplied RGBA of pixels [x0, x1) of row y into
// out (4 floats per pixel, 0..255), with fast paths for the types the decoders produce.
func rowReader(src image.Image) func(y, x0, x1 int, out []float32) {
	switch m := src.(type) {
	case *image.YCbCr:
		return func(y, x0, x1 int, out []float32) {
			for x := x0; x < x1; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				o := out[(x-x0)*4 : (x-x0)*4+4 : (x-x0)*4+4]
				o[0], o[1], o[2], o[3] = float32(r), float32(g), float32(b), 255
			}
		}
	case *image.NYCbCrA:
		return func(y, x0, x1 int, out []float32) {
			for x := x0; x < x1; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				a := float32(m.A[m.AOffset(x, y)])
				o := out[(x-x0)*4 : (x-x0)*4+4 : (x-x0)*4+4]
				o[0], o[1], o[2], o[3] = float32(r)*a/255, float32(g)*a/255, float32(b)*a/255, a
			}
		}
	case studioYCbCr:
		return func(y, x0, x1 int, out []float32) {
			for x := x0; x < x1; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				o := out[(x-x0)*4 : (x-x0)*4+4 : (x-x0)*4+4]
				o[0], o[1], o[2] = studioToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				o[3] = 255
			}
		}
	case studioNYCbCrA:
		return func(y, x0, x1 int, out []float32) {
			for x := x0; x < x1; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				a := float32(m.A[m.AOffset(x, y)])
				r, g, b := studioToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				o := out[(x-x0)*4 : (x-x0)*4+4 : (x-x0)*4+4]
				o[0], o[1], o[2], o[3] = r*a/255, g*a/255, b*a/255, a
			}
		}
	case *image.RGBA:
		return func(y, x0, x1 int, out []float32) {
			p := m.Pix[m.PixOffset(x0, y):m.PixOffset(x1, y)]
			for i, v := range p {
				out[i] = float32(v)
			}
		}
	case *image.RGBA64: // 10- and 12-bit AVIF
		return func(y, x0, x1 int, out []float32) {
			p := m.Pix[m.PixOffset(x0, y):m.PixOffset(x1, y)]
			for i := 0; i+1 < len(p); i += 2 {
				out[i/2] = float32(uint16(p[i])<<8|uint16(p[i+1])) / 257
			}
		}
	case *image.NRGBA:
		return func(y, x0, x1 int, out []float32) {
			p := m.Pix[m.PixOffset(x0, y):m.PixOffset(x1, y)]
			for i := 0; i < len(p); i += 4 {
				a := float32(p[i+3])
				out[i], out[i+1], out[i+2], out[i+3] = float32(p[i])*a/255, float32(p[i+1])*a/255, float32(p[i+2])*a/255, a
			}
		}
	case *image.Gray:
		return func(y, x0, x1 int, out []float32) {
			p := m.Pix[m.PixOffset(x0, y):m.PixOffset(x1, y)]
			for i, v := range p {
				out[i*4], out[i*4+1], out[i*4+2], out[i*4+3] = float32(v), float32(v), float32(v), 255
			}
		}
	case *image.Paletted:
		pal := make([][4]float32, 256)
		for i, c := range m.Palette[:min(len(m.Palette), 256)] {
			r, g, b, a := c.RGBA()
			pal[i] = [4]float32{float32(r >> 8), float32(g >> 8), float32(b >> 8), float32(a >> 8)}
		}
		return func(y, x0, x1 int, out []float32) {
			p := m.Pix[m.PixOffset(x0, y):m.PixOffset(x1, y)]
			for i, v := range p {
				c := pal[v]
				out[i*4], out[i*4+1], out[i*4+2], out[i*4+3] = c[0], c[1], c[2], c[3]
			}
		}
	}
	return func(y, x0, x1 int, out []float32) {
		for x := x0; x < x1; x++ {
			r, g, b, a := src.At(x, y).RGBA()
			o := out[(x-x0)*4 : (x-x0)*4+4 : (x-x0)*4+4]
			o[0], o[1], o[2], o[3] = float32(r)/257, float32(g)/257, float32(b)/257, float32(a)/257
		}
	}
}

// studioToRGB converts BT.601 limited-range YCbCr (what VP8 stores) to RGB in 0..255, as libwebp does.
func studioToRGB(y, cb, cr uint8) (r, g, b float32) {
	l := 1.164383 * (float32(y) - 16)
	u, v := float32(cb)-128, float32(cr)-128
	return clampF(l + 1.596027*v), clampF(l - 0.391762*u - 0.812968*v), clampF(l + 2.017232*u)
}

func clampF(v float32) float32 {
	return min(max(v, 0), 255)
}
