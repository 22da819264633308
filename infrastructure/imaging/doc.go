// Package imaging is the pure-Go (CGO_ENABLED=0) image core of the media library: it tells what a
// file is from its bytes (Sniff), reads its size from the header without decoding a pixel (Probe),
// removes EXIF, GPS and XMP metadata while keeping every other byte (Strip), computes a placeholder
// and a dominant colour (Analyze), makes renditions (Render) and tells what a rendition costs in
// memory (EstimateMemory). It has no state and no settings: the limits (bytes, pixels, concurrency,
// memory budget) are the caller's, checked on Probe's Info before Analyze or Render decode anything;
// MaxPixels is only a last defence.
//
// Animated GIF and WebP: Analyze and Render use the first frame; the stored original keeps its
// animation.
//
// Errors wrap ErrUnsupported (the caller answers 415), ErrCorrupt or ErrTooManyPixels (422), or
// ErrBadSpec (400); a cancelled context comes back as ctx.Err().
//
// # Codecs
//
// JPEG, PNG and GIF use the standard library, still WebP decoding golang.org/x/image/webp, scaling
// this package's streaming Catmull-Rom filter (resample.go: 3.5× faster than x/image/draw's
// CatmullRom on a 12 MP image to 1280 wide, and 5.9 MB allocated instead of 128 MB). WebP encoding,
// animated WebP decoding and AVIF decoding and encoding use github.com/gen2brain/webp and
// github.com/gen2brain/avif: libwebp, libavif and libaom compiled to WebAssembly and run by wazero,
// no cgo. Those libraries first try a shared libwebp/libavif through purego, but only in a
// dynamically linked binary: a CGO_ENABLED=0 binary is static, so they always run the WASM build and
// behave the same on every machine.
//
// # WASM codecs: cost and concurrency (measured on the shared 2-core development machine)
//
//   - Compilation: each codec's module is compiled once per process, on its first call: about 2 s for
//     the WebP encoder, 2 s for the AVIF decoder and 5 to 8 s for the AVIF encoder. The first
//     rendition after a start pays it; a service may warm the codecs at start.
//   - Each call instantiates the compiled module afresh (own linear memory, freed with the call):
//     on a 16×16 image 0.4 ms for a WebP encode (against 3.5 ms for the standard PNG encoder), 22 ms
//     for an AVIF decode and 59 ms for an AVIF encode (BenchmarkWASMCall).
//   - Concurrency: the runtime and the compiled module are shared and safe for concurrent use; the
//     instances are independent. TestWASMCodecsAreSafeConcurrently runs 8 calls of each codec at
//     once (under -race in make test) and gets byte-identical outputs to the sequential calls.
//   - Memory: a call's linear memory grows by reallocation (the old and the new copy live together
//     for a moment) and is garbage once the call returns. Measured peak heap per pixel: AVIF decode
//     70-77 B per source pixel, AVIF encode 80-141 B and WebP encode 26-38 B per output pixel,
//     against 1.7 B (JPEG 4:2:0) and 4.2 B (PNG, lossless WebP) for the Go decoders. An AVIF encode
//     at 2560 px wide peaks near 380 MB: a budget of 512 MB runs one at a time. EstimateMemory
//     carries these factors with a margin, so a weighted semaphore over it bounds the process.
//   - A WASM call cannot be interrupted: Render checks ctx before and after it.
//
// # Speed (go test -bench . -benchtime 3x, 12 MP photo-like JPEG, same run; the machine is shared)
//
// As ratios to the standard library's decode of the same file (1.23 s/op, 18 MB/op), which every
// JPEG Analyze and Render includes: Analyze 2.1× (19 MB/op), Render to a 640 JPEG 1.8× (20 MB/op),
// to a 1280 JPEG 2.1× (25 MB/op), to a 640 WebP 3.6× (32 MB/op), to a 1280 WebP 4.2× (57 MB/op).
package imaging
