// Package markdown renders article bodies: CommonMark with the GitHub extensions (goldmark), then
// sanitized with an allowlist (bluemonday), plus the plain text a reader of that HTML sees. Every
// render is bounded (see Limits).
package markdown

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/inkwell-cms/inkwell/domain/article"
)

var _ article.Renderer = (*Renderer)(nil)

// Renderer implements article.Renderer. It is built once and is safe for concurrent use: goldmark
// keeps per-call state in a fresh parser context and a bluemonday policy is read-only once built.
type Renderer struct {
	markdown goldmark.Markdown
	policy   *bluemonday.Policy
	limits   Limits
}

// NewRenderer builds the Markdown pipeline and the sanitizing policy with limits.
func NewRenderer(limits Limits) *Renderer {
	return &Renderer{
		markdown: goldmark.New(
			goldmark.WithExtensions(
				// GFM, spelled out because tables must align with the align attribute: the policy
				// drops style attributes.
				extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
				extension.Strikethrough,
				extension.Linkify,
				extension.TaskList,
			),
			goldmark.WithParserOptions(
				parser.WithAutoHeadingID(),
				// First in line for every block and at every inline trigger: they add nothing,
				// they stop the parse once its deadline has passed.
				parser.WithBlockParsers(util.Prioritized(deadlineBlocks{}, 0)),
				parser.WithInlineParsers(util.Prioritized(deadlineInlines{}, 0)),
			),
			// Raw HTML is passed through on purpose (editors use <details>, <sup>, <abbr>…): the
			// sanitizer, not the Markdown renderer, is the single place that decides what is safe,
			// for raw HTML and Markdown links alike.
			goldmark.WithRendererOptions(html.WithUnsafe()),
		),
		policy: newPolicy(),
		limits: limits,
	}
}

// newPolicy starts from bluemonday's policy for user content: no script, style, iframe, object,
// embed, svg or forms; no on* handlers or style attributes; URLs parseable and only http, https,
// mailto or relative (so no javascript:, vbscript: or data:, images included); rel="nofollow" on
// every link.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// External links open in a new tab, so they also get rel="noopener" (added by bluemonday with
	// target="_blank"); relative links stay in the site and keep rel="nofollow" only.
	p.AddTargetBlankToFullyQualifiedLinks(true)
	// Fenced code keeps its language so that clients can highlight it.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]+$`)).OnElements("code")
	// GFM task lists render as disabled checkboxes.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	return p
}

// Render returns the sanitized HTML of markdown and its plain text. The plain text is not escaped:
// whoever puts it into HTML must escape it. A body over the limits, or whose render outlives the
// timeout, is an article.ErrBodyLimit error: the deadline is generous (a 1 MiB body within the
// limits renders in a fraction of it), so a body that misses it is too expensive, and sending it
// again would miss it again; that is the author's to change, a 422, not a 503. A cancelled ctx
// (the client went away) stops the render too and is returned as it is.
func (r *Renderer) Render(ctx context.Context, markdown string) (safeHTML, plainText string, err error) {
	if err := r.limits.check(markdown); err != nil {
		return "", "", err
	}
	ctx, cancel := context.WithTimeout(ctx, r.limits.Timeout)
	defer cancel()
	out := &cappedBuffer{max: r.limits.MaxHTMLBytes}
	out.Grow(min(len(markdown)+len(markdown)/4, r.limits.MaxHTMLBytes))
	if err := r.convert(ctx, markdown, out); err != nil {
		return "", "", err
	}
	sanitized := r.policy.SanitizeBytes(out.Bytes())
	return string(sanitized), textOf(sanitized), nil
}

// convert runs goldmark, turning the deadline parsers' stop and the capped buffer's refusal into
// errors.
func (r *Renderer) convert(ctx context.Context, markdown string, out *cappedBuffer) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if e, ok := v.(error); !ok || !errors.Is(e, errStop) {
				panic(v)
			}
			err = r.stopped(ctx)
		}
	}()
	pc := parser.NewContext()
	pc.Set(deadlineKey, &deadline{ctx: ctx})
	if err := r.markdown.Convert([]byte(markdown), out, parser.WithContext(pc)); err != nil {
		if errors.Is(err, errTooMuchHTML) {
			return article.ErrBodyLimit(limitHTML, int64(r.limits.MaxHTMLBytes),
				fmt.Sprintf("renders to more than %d bytes of HTML (reference links repeated too often?)", r.limits.MaxHTMLBytes))
		}
		return fmt.Errorf("markdown: render: %w", err)
	}
	if ctx.Err() != nil { // stopped between the last check and the end
		return r.stopped(ctx)
	}
	return nil
}

func (r *Renderer) stopped(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return article.ErrBodyLimit(limitDeadline, r.limits.Timeout.Milliseconds(),
			fmt.Sprintf("takes longer than %s to render; simplify its structure", r.limits.Timeout))
	}
	return fmt.Errorf("markdown: render: %w", ctx.Err())
}

// errTooMuchHTML is what cappedBuffer answers once the output passes its bound.
var errTooMuchHTML = errors.New("markdown: rendered HTML over its limit")

// cappedBuffer is a bytes.Buffer that refuses to grow past max bytes.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, errTooMuchHTML
	}
	return b.Buffer.Write(p)
}

// WriteString, WriteByte and WriteRune are bounded too: goldmark's writer uses them directly.
func (b *cappedBuffer) WriteString(s string) (int, error) { return b.Write([]byte(s)) }
func (b *cappedBuffer) WriteByte(c byte) error {
	_, err := b.Write([]byte{c})
	return err
}
func (b *cappedBuffer) WriteRune(r rune) (int, error) { return b.Write([]byte(string(r))) }
