package imaging_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/imaging"
)

// The WASM codecs (WebP encode, AVIF decode and encode) share one compiled module per codec and
// instantiate it per call: concurrent calls must neither fail nor mix their outputs.
func TestWASMCodecsAreSafeConcurrently(t *testing.T) {
	t.Parallel()
	const n = 8
	inputs := make([][]byte, n)
	for i := range n {
		inputs[i] = encodePNG(t, photo(96+8*i, 64))
	}
	av := encodeAVIF(t, photo(80, 60))
	type result struct{ webp, avif, fromAVIF []byte }
	render := func(i int) (r result, err error) {
		ctx := context.Background()
		if r.webp, _, err = imaging.Render(ctx, imaging.MIMEPNG, inputs[i], imaging.Spec{Width: 64 + i, Format: "webp"}); err != nil {
			return r, err
		}
		if r.avif, _, err = imaging.Render(ctx, imaging.MIMEPNG, inputs[i], imaging.Spec{Width: 48 + i, Format: "avif"}); err != nil {
			return r, err
		}
		r.fromAVIF, _, err = imaging.Render(ctx, imaging.MIMEAVIF, av, imaging.Spec{Width: 40 + i, Format: "png"})
		return r, err
	}
	want := make([]result, n)
	for i := range n {
		var err error
		if want[i], err = render(i); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = render(i) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i].webp, want[i].webp) || !bytes.Equal(got[i].avif, want[i].avif) || !bytes.Equal(got[i].fromAVIF, want[i].fromAVIF) {
			t.Errorf("call %d: concurrent output differs from the sequential one", i)
		}
	}
}

// TestWASMColdStart logs what the first call of each WASM codec costs in a fresh process (the
// module's compilation) against the next call (an instantiation). Run it alone to read the figures:
// go test -run TestWASMColdStart -v ./infrastructure/imaging/
func TestWASMColdStart(t *testing.T) {
	src := encodePNG(t, photo(32, 32))
	ctx := context.Background()
	timeIt := func(f func() error) time.Duration {
		start := time.Now()
		if err := f(); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	var av []byte
	for _, c := range []struct {
		name string
		f    func() error
	}{
		{"webp encode", func() error {
			_, _, err := imaging.Render(ctx, imaging.MIMEPNG, src, imaging.Spec{Width: 32, Format: "webp"})
			return err
		}},
		{"avif encode", func() (err error) {
			av, _, err = imaging.Render(ctx, imaging.MIMEPNG, src, imaging.Spec{Width: 32, Format: "avif"})
			return err
		}},
		{"avif decode", func() error { _, err := imaging.Analyze(imaging.MIMEAVIF, av); return err }},
	} {
		first, second := timeIt(c.f), timeIt(c.f)
		t.Logf("%s of a 32×32 image: first call %v, second %v", c.name, first.Round(time.Millisecond), second.Round(time.Microsecond))
	}
}
