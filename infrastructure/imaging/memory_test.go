package imaging_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/color/palette"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

// photo is a w×h image with smooth regions, edges and noise, so that encoders work as hard as on a
// photograph (a flat test card compresses to nothing and tells nothing about memory or time).
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(2463534242)
	for y := range h {
		for x := range w {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			n := uint8(seed & 31)
			r := uint8((x*255/w + y*64/h) & 255)
			g := uint8((y*255/h + x*32/w) & 255)
			b := uint8(((x/97 + y/61) % 2) * 180)
			img.SetRGBA(x, y, color.RGBA{r/2 + n, g/2 + n, b/2 + n, 255})
		}
	}
	return img
}

// peakHeap runs fn and returns the highest heap in use above the starting point, sampled every
// millisecond, and the bytes allocated in total (an upper bound of the peak that sampling may miss).
func peakHeap(fn func()) (peak, total uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, baseTotal := ms.HeapAlloc, ms.TotalAlloc
	var max atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var s runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&s)
			if s.HeapAlloc > base && s.HeapAlloc-base > max.Load() {
				max.Store(s.HeapAlloc - base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	return max.Load(), ms.TotalAlloc - baseTotal
}

// EstimateMemory bounds the peak heap (sampled) of Render and Analyze for each decoder and encoder,
// on photo-like content.
func TestEstimateMemoryIsAnUpperBound(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes and renders multi-megapixel images")
	}
	// sizes are kept moderate so that make test (-race) stays quick: the factors are per pixel, and
	// the 12 MP figures are the benchmarks' (bench_test.go)
	big := encodeJPEG(t, photo(2400, 1800))
	mid := photo(1200, 900)
	av := encodeAVIF(t, photo(640, 480))
	paletted := image.NewPaletted(mid.Bounds(), palette.Plan9)
	for i := range paletted.Pix {
		paletted.Pix[i] = uint8(i * 7 / 5)
	}
	cases := []struct {
		name string
		mime string
		data []byte
		spec imaging.Spec
	}{
		{"4MP jpeg -> 1280 webp", imaging.MIMEJPEG, big, imaging.Spec{Width: 1280, Format: "webp"}},
		{"4MP jpeg -> 640 jpg", imaging.MIMEJPEG, big, imaging.Spec{Width: 640, Format: "jpg"}},
		{"4MP jpeg -> 2560 crop jpg", imaging.MIMEJPEG, big, imaging.Spec{Width: 2560, Height: 2560, Fit: "crop", FocalX: .5, FocalY: .5, Format: "jpg"}},
		{"4MP jpeg analyze", imaging.MIMEJPEG, big, imaging.Spec{}},
		{"1MP png -> 1280 png", imaging.MIMEPNG, encodePNG(t, mid), imaging.Spec{Width: 1280, Format: "png"}},
		{"1MP webp lossless -> 640 webp", imaging.MIMEWebP, encodeWebP(t, mid, true), imaging.Spec{Width: 640, Format: "webp"}},
		{"1MP webp lossy -> 960 avif", imaging.MIMEWebP, encodeWebP(t, mid, false), imaging.Spec{Width: 960, Format: "avif"}},
		{"0.3MP avif -> 640 avif", imaging.MIMEAVIF, av, imaging.Spec{Width: 640, Format: "avif"}},
		{"0.3MP avif analyze", imaging.MIMEAVIF, av, imaging.Spec{}},
		{"1MP gif -> 640 png", imaging.MIMEGIF, encodeGIF(t, paletted), imaging.Spec{Width: 640, Format: "png"}},
	}
	for _, c := range cases {
		info, err := imaging.Probe(c.mime, c.data)
		if err != nil {
			t.Fatal(err)
		}
		est := imaging.EstimateMemory(info, c.spec)
		// an Info built by hand (no file seen) gets a bound at least as high
		if byHand := imaging.EstimateMemory(imaging.Info{MIME: info.MIME, Width: info.Width, Height: info.Height}, c.spec); byHand < est {
			t.Errorf("%s: estimate without the file %d below the one with it %d", c.name, byHand, est)
		}
		run := func() error {
			if c.spec.Width == 0 {
				_, err := imaging.Analyze(c.mime, c.data)
				return err
			}
			_, _, err := imaging.Render(context.Background(), c.mime, c.data, c.spec)
			return err
		}
		// the WASM modules are compiled once per process: warm them so that the figure is per call
		if err := run(); err != nil {
			t.Fatal(err)
		}
		var rerr error
		peak, total := peakHeap(func() { rerr = run() })
		if rerr != nil {
			t.Fatal(rerr)
		}
		t.Logf("%-32s estimate %6.1f MB, sampled peak %6.1f MB, allocated %6.1f MB", c.name, mb(est), mb(int64(peak)), mb(int64(total)))
		if uint64(est) < peak {
			t.Errorf("%s: estimate %d below the measured peak %d", c.name, est, peak)
		}
	}
}

// A progressive JPEG keeps every DCT coefficient until its last scan: the estimate read from the
// frame header grows by the coefficients' 4 bytes per sample (the standard library writes only
// baseline, so the marker is changed in place; Probe reads no further).
func TestEstimateMemoryReadsTheJPEGFrame(t *testing.T) {
	t.Parallel()
	j := encodeJPEG(t, photo(400, 300)) // 4:2:0: 1.5 samples per pixel
	prog := append([]byte{}, j...)
	at := bytes.Index(prog, []byte{0xFF, 0xC0})
	prog[at+1] = 0xC2
	spec := imaging.Spec{Width: 160, Format: "jpg"}
	base, progressive := imaging.EstimateMemory(mustProbe(t, imaging.MIMEJPEG, j), spec), imaging.EstimateMemory(mustProbe(t, imaging.MIMEJPEG, prog), spec)
	if diff := progressive - base; diff < 400*300*6 || diff > 400*300*8 {
		t.Errorf("progressive adds %d bytes, want about 4×1.5 B per pixel (%d)", diff, 400*300*6)
	}
}

func mb(v int64) float64 { return float64(v) / (1 << 20) }
