package markdown_test

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
)

func FuzzRenderIsSafe(f *testing.F) {
	for _, v := range xssVectors {
		f.Add(v.markdown)
	}
	f.Add("# Title\n\nA [link](https://example.com) and ![img](/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
	r := markdown.NewRenderer(markdown.DefaultLimits())
	f.Fuzz(func(t *testing.T, in string) {
		out, text, err := r.Render(context.Background(), in)
		if err != nil {
			if !refused(err) {
				t.Fatalf("Render(%q): %v", in, err)
			}
			return
		}
		if problem := unsafety(out); problem != "" {
			t.Fatalf("Render(%q) is unsafe: %s\n%s", in, problem, out)
		}
		if utf8.ValidString(in) && !utf8.ValidString(text) {
			t.Fatalf("Render(%q) plain text is not valid UTF-8: %q", in, text)
		}
	})
}

// adversarial are the shapes known to make Markdown parsers do more than linear work; each is a unit
// the linearity check repeats.
var adversarial = []string{
	"[a](", "![a](", "[a](((", "> ", ">", "- ", "  - a\n", "`a", "*a", "_a ", "<a", "[", "](", "|a",
	"|a|\n|-|\n", "[x]: /u\n", "[x]", "**_", "~~a", "www.a", "<div>", "&#", "\\", "```\n", "1. ",
}

// FuzzRenderIsLinear asserts that render time grows linearly with the input: for a unit u (any
// string, seeded with the adversarial shapes), u repeated 4n times must not take much more than
// four times as long per byte as u repeated n times, unless the limits refuse it (which is how a
// superlinear shape must end). Timings are the best of three, and the factor is generous, so that
// noise on a shared machine does not fail it; a quadratic shape is off by the repetition factor.
//
// The regular test run (no -fuzz) checks the seeds for errors only: wall-clock ratios belong in a
// fuzzing session (make fuzz), not in every test run.
func FuzzRenderIsLinear(f *testing.F) {
	for _, u := range adversarial {
		f.Add(u)
	}
	r := markdown.NewRenderer(markdown.DefaultLimits())
	timed := fuzzing()
	f.Fuzz(func(t *testing.T, unit string) {
		if unit == "" || len(unit) > 64 {
			return
		}
		n := max(4096/len(unit), 1)
		small, large := strings.Repeat(unit, n), strings.Repeat(unit, 4*n)
		ds, errSmall := bestOf(r, small)
		dl, errLarge := bestOf(r, large)
		for _, err := range []error{errSmall, errLarge} {
			if err != nil && !refused(err) {
				t.Fatalf("render of %q repeated: %v", unit, err)
			}
		}
		if !timed || errSmall != nil || errLarge != nil {
			return
		}
		const factor = 6 // per byte; a quadratic shape is at 4 and grows with n, noise rarely passes 2
		perSmall := float64(ds) / float64(len(small))
		perLarge := float64(dl) / float64(len(large))
		if ds > 200*time.Microsecond && perLarge > factor*perSmall {
			t.Fatalf("render of %q is superlinear: %d bytes in %s, %d bytes in %s (%.1fx per byte)",
				unit, len(small), ds, len(large), dl, perLarge/perSmall)
		}
	})
}

func bestOf(r *markdown.Renderer, in string) (time.Duration, error) {
	best := time.Duration(1 << 62)
	for range 3 {
		start := time.Now()
		if _, _, err := r.Render(context.Background(), in); err != nil {
			return 0, err
		}
		best = min(best, time.Since(start))
	}
	return best, nil
}

// refused reports whether err is the renderer refusing a body over a limit.
func refused(err error) bool {
	var e *shared.Error
	return errors.As(err, &e) && e.Code == "body_limit_exceeded"
}

// fuzzing reports whether the test binary runs with -test.fuzz, i.e. in a fuzzing session.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}
