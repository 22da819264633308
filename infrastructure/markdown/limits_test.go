package markdown_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
)

func TestLimitsRefuseThePathologicalShapes(t *testing.T) {
	t.Parallel()
	small := markdown.DefaultLimits()
	small.MaxBytes = 1 << 16
	r := markdown.NewRenderer(small)
	tests := []struct {
		name, body, limit string
	}{
		{"unclosed links", strings.Repeat("[a](", 65), "max_unclosed_links"},
		{"unclosed images across lines", strings.Repeat("![a](x\n", 65), "max_unclosed_links"},
		{"open parentheses in a destination", "[a](" + strings.Repeat("(", 70), "max_unclosed_links"},
		{"nested blockquotes", strings.Repeat(">", 33) + " deep", "max_nesting"},
		{"nested lists", strings.Repeat("- ", 33) + "deep", "max_nesting"},
		{"indented lists", strings.Repeat(" ", 4*33) + "- deep", "max_nesting"},
		{"wide tables", strings.Repeat("|a", 400) + "\n" + strings.Repeat("|-", 400) + "\n" + strings.Repeat("|a\n", 300), "max_table_cells"},
		{"size", strings.Repeat("a", 1<<16+1), "max_body_bytes"},
		{"HTML amplification", "[r]: /" + strings.Repeat("u", 2000) + "\n\n" + strings.Repeat("[r]", 20000), "max_html_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := r.Render(context.Background(), tt.body)
			var e *shared.Error
			if !errors.As(err, &e) || e.Code != "body_limit_exceeded" || e.Kind != shared.KindInvalid ||
				e.Details["limit"] != tt.limit || e.Fields[0].Field != "body_markdown" {
				t.Fatalf("err = %v, want body_limit_exceeded naming %s", err, tt.limit)
			}
		})
	}
}

func TestLimitsAcceptRealWriting(t *testing.T) {
	t.Parallel()
	r := markdown.NewRenderer(markdown.DefaultLimits())
	doc := strings.Repeat("# Part\n\n> A quote with a [link](https://example.com/a_(b)) and `code`.\n>\n> > nested\n\n"+
		"- one\n  - two\n    - three\n\n1. first\n2. second\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n"+
		"```go\n\t\t\t\t\t\t\t\t\t\tdeep(code)\n```\n\nText [ref] and ![img](/a.png \"t\").\n\n[ref]: https://example.com\n\n", 200)
	if _, _, err := r.Render(context.Background(), doc); err != nil {
		t.Fatalf("a long ordinary document: %v", err)
	}
}

func TestRenderStopsAtItsDeadline(t *testing.T) {
	t.Parallel()
	limits := markdown.DefaultLimits()
	limits.Timeout = time.Millisecond
	r := markdown.NewRenderer(limits)
	body := strings.Repeat("Words *and* [links](/x) `code` and more.\n\n", 20000) // ~800 KB, ~100 ms or more
	start := time.Now()
	_, _, err := r.Render(context.Background(), body)
	var e *shared.Error
	if !errors.As(err, &e) || e.Details["limit"] != "render_timeout" {
		t.Fatalf("err = %v, want body_limit_exceeded naming render_timeout", err)
	}
	t.Logf("stopped %s after its 1ms deadline", time.Since(start)-time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := markdown.NewRenderer(markdown.DefaultLimits()).Render(ctx, body); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled render: %v, want context.Canceled", err)
	}
}
