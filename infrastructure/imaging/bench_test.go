package imaging_test

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"sync"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

// Benchmarks on a generated 12 MP (4000×3000) photo-like JPEG. The baseline is the standard
// library's decode of the same file, which every Analyze and Render of a JPEG includes: the ratios
// to it are what to compare between runs on a shared machine.
//
//	go test -run '^$' -bench . -benchtime 3x ./infrastructure/imaging/

var big12MP = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, photo(4000, 3000), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
})

func BenchmarkDecodeJPEG12MPBaseline(b *testing.B) {
	data := big12MP()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyze12MP(b *testing.B) {
	data := big12MP()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := imaging.Analyze(imaging.MIMEJPEG, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender12MP(b *testing.B) {
	data := big12MP()
	for _, format := range []string{"jpg", "webp"} {
		for _, width := range []int{640, 1280} {
			b.Run(fmt.Sprintf("%s-%d", format, width), func(b *testing.B) {
				spec := imaging.Spec{Width: width, Format: format}
				if _, _, err := imaging.Render(context.Background(), imaging.MIMEJPEG, data, spec); err != nil {
					b.Fatal(err) // compiles the WASM encoder outside the timing
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := imaging.Render(context.Background(), imaging.MIMEJPEG, data, spec); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkWASMCall is the per-call cost of the WASM codecs on a 16×16 image: instantiating the
// compiled module (its linear memory and data segments) dominates it.
func BenchmarkWASMCall(b *testing.B) {
	src := encodePNG(b, photo(16, 16))
	av, _, err := imaging.Render(context.Background(), imaging.MIMEPNG, src, imaging.Spec{Width: 16, Format: "avif"})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func() error
	}{
		{"png-encode-baseline", func() error {
			_, _, err := imaging.Render(context.Background(), imaging.MIMEPNG, src, imaging.Spec{Width: 16, Format: "png"})
			return err
		}},
		{"webp-encode", func() error {
			_, _, err := imaging.Render(context.Background(), imaging.MIMEPNG, src, imaging.Spec{Width: 16, Format: "webp"})
			return err
		}},
		{"avif-encode", func() error {
			_, _, err := imaging.Render(context.Background(), imaging.MIMEPNG, src, imaging.Spec{Width: 16, Format: "avif"})
			return err
		}},
		{"avif-decode", func() error { _, err := imaging.Analyze(imaging.MIMEAVIF, av); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			if err := c.f(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
