// Package markdown renders article bodies: CommonMark with the GitHub extensions (goldmark), then
// sanitized with an allowlist (bluemonday), plus the plain text a reader of that HTML sees.
package markdown

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/inkwell-cms/inkwell/domain/article"
)

var _ article.Renderer = (*Renderer)(nil)

// Renderer implements article.Renderer. It is built once and is safe for concurrent use: goldmark
// keeps per-call state in a fresh parser context and a bluemonday policy is read-only once built.
type Renderer struct {
	markdown goldmark.Markdown
	policy   *bluemonday.Policy
}

// NewRenderer builds the Markdown pipeline and the sanitizing policy.
func NewRenderer() *Renderer {
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
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
			// Raw HTML is passed through on purpose (editors use <details>, <sup>, <abbr>…): the
			// sanitizer, not the Markdown renderer, is the single place that decides what is safe,
			// for raw HTML and Markdown links alike.
			goldmark.WithRendererOptions(html.WithUnsafe()),
		),
		policy: newPolicy(),
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
// whoever puts it into HTML must escape it.
func (r *Renderer) Render(markdown string) (safeHTML, plainText string) {
	var buf bytes.Buffer
	buf.Grow(len(markdown) + len(markdown)/4)
	// goldmark fails only when its writer does, and a bytes.Buffer never does.
	_ = r.markdown.Convert([]byte(markdown), &buf)
	sanitized := r.policy.SanitizeBytes(buf.Bytes())
	return string(sanitized), textOf(sanitized)
}
