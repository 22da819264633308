package markdown_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/markdown"
)

// xssVectors are classic injection attempts; mustNotContain lists, lower-cased, payload fragments
// that must not survive anywhere in the output, not even as text, because the sanitizer drops the
// whole element.
var xssVectors = []struct {
	name           string
	markdown       string
	mustNotContain []string
}{
	{"script tag", "<script>alert(1)</script>", []string{"alert(1)"}},
	{"mixed-case script tag", "<ScRiPt>alert(1)</sCrIpT>", []string{"alert(1)"}},
	{"split script tag", "<scr<script>ipt>alert(1)</script>", nil},
	{"nested script tag", "<<script>script>alert(1)<</script>/script>", nil},
	{"script in a paragraph", "Hello <script src=https://evil.example/x.js></script> world", []string{"evil.example"}},
	{"img onerror", "<img src=x onerror=alert(1)>", []string{"onerror"}},
	{"mixed-case img onerror", "<IMG SRC=x OnErRoR=alert(1)>", []string{"onerror"}},
	{"img onerror separated by slashes", "<div>\n<img/src=\"x\"/onerror=alert(1)>\n</div>", []string{"onerror"}},
	{"markdown javascript link", "[click](javascript:alert(1))", []string{"href"}},
	{"mixed-case markdown javascript link", "[click](JaVaScRiPt:alert(1))", []string{"href"}},
	{"entity-encoded markdown javascript link", "[click](&#106;avascript:alert(1))", []string{"href"}},
	{"tab inside the scheme", "[click](java&#x09;script:alert(1))", []string{"href"}},
	{"javascript autolink", "<javascript:alert(1)>", []string{"href"}},
	{"html javascript link", `<a href="javascript:alert(1)">x</a>`, []string{"href"}},
	{"html javascript link with leading space", `<a href=" javascript:alert(1)">x</a>`, []string{"href"}},
	{"html entity-encoded javascript link", `<a href="&#x6A;&#x61;vascript:alert(1)">x</a>`, []string{"href"}},
	{"vbscript link", `<a href="vbscript:msgbox(1)">x</a>`, []string{"href"}},
	{"data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", []string{"href"}},
	{"javascript image", "![x](javascript:alert(1))", []string{"src"}},
	{"data svg image", `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`, []string{"src"}},
	{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"iframe", "evil.example"}},
	{"object and embed", `<object data="x.swf"></object><embed src="x.swf">`, []string{"object", "embed", "x.swf"}},
	{"svg with script", "<svg><script>alert(1)</script></svg>", []string{"svg", "alert(1)"}},
	{"svg onload", "<svg onload=alert(1)>", []string{"svg", "onload"}},
	{"svg xlink javascript", `<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`, []string{"svg", "xlink"}},
	{"math xlink javascript", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`, []string{"math", "xlink"}},
	{"style attribute", `<div style="background:url(javascript:alert(1))">x</div>`, []string{"style"}},
	{"style element", "<style>body{display:none}</style>", []string{"style", "display"}},
	{"details ontoggle", "<details open ontoggle=alert(1)><summary>s</summary></details>", []string{"ontoggle"}},
	{"body onload", "<body onload=alert(1)>", []string{"onload"}},
	{"link onclick", `<a href="https://ok.example" onclick="alert(1)">ok</a>`, []string{"onclick"}},
	{"form action", `<form action="javascript:alert(1)"><button>go</button></form>`, []string{"form", "button"}},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, []string{"meta", "refresh"}},
	{"base href", `<base href="javascript:alert(1)//">`, []string{"base"}},
	{"script inside a comment", "<!--<script>alert(1)</script>-->", []string{"alert(1)"}},
	{"script in a table cell", "| a |\n|---|\n| <script>alert(1)</script> |", []string{"alert(1)"}},
	{"attribute breakout in a link title", `[x](https://ok.example "a\" onmouseover=\"alert(1)")`, []string{"onmouseover="}},
}

func TestRenderStripsXSS(t *testing.T) {
	t.Parallel()
	r := newRenderer()
	for _, v := range xssVectors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			out, _ := r.Render(v.markdown)
			if problem := unsafety(out); problem != "" {
				t.Fatalf("unsafe output (%s): %s", problem, out)
			}
			for _, s := range v.mustNotContain {
				if strings.Contains(strings.ToLower(out), s) {
					t.Fatalf("output contains %q: %s", s, out)
				}
			}
		})
	}
}

func TestRenderKeepsMarkdownFeatures(t *testing.T) {
	t.Parallel()
	r := newRenderer()
	tests := []struct {
		name     string
		markdown string
		contains []string
	}{
		{"heading with anchor", "## Getting started", []string{`<h2 id="getting-started">Getting started</h2>`}},
		{"emphasis and code", "*a* **b** `c`", []string{"<em>a</em>", "<strong>b</strong>", "<code>c</code>"}},
		{"external link", "[go](https://go.dev)", []string{`<a href="https://go.dev" rel="nofollow noopener" target="_blank">go</a>`}},
		{"relative link", "[home](/about)", []string{`<a href="/about" rel="nofollow">home</a>`}},
		{"mail link", "[mail](mailto:a@example.com)", []string{`href="mailto:a@example.com"`}},
		{"bare URL is linked", "see www.example.org", []string{`href="http://www.example.org"`}},
		{"image", `![a cat](https://img.example/cat.png "Cat")`, []string{`<img src="https://img.example/cat.png" alt="a cat" title="Cat">`}},
		{"table with alignment", "| a | b |\n|:--|--:|\n| 1 | 2 |", []string{`<th align="left">a</th>`, `<td align="right">2</td>`}},
		{"strikethrough", "~~old~~", []string{"<del>old</del>"}},
		{"task list", "- [x] done\n- [ ] todo", []string{`<input checked="" disabled="" type="checkbox">`, `<input disabled="" type="checkbox">`}},
		{"fenced code keeps its language", "```go\nx := \"<b>\"\n```", []string{`<code class="language-go">x := &#34;&lt;b&gt;&#34;`}},
		{"safe raw HTML", "H<sub>2</sub>O <abbr title=\"HyperText\">HTML</abbr>", []string{"<sub>2</sub>", `<abbr title="HyperText">HTML</abbr>`}},
		{"blockquote and lists", "> quote\n\n1. one\n2. two", []string{"<blockquote>", "<ol>", "<li>two</li>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, _ := r.Render(tt.markdown)
			for _, want := range tt.contains {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %s:\n%s", want, out)
				}
			}
		})
	}
}

func TestRenderPlainText(t *testing.T) {
	t.Parallel()
	r := newRenderer()
	tests := []struct {
		name     string
		markdown string
		want     string
	}{
		{"empty", "", ""},
		{"markup is removed", "# Title\n\nSome *emphasis* and [a link](https://x.example).", "Title\nSome emphasis and a link."},
		{"soft breaks become spaces", "one\ntwo\n\nthree", "one two\nthree"},
		{"entities and escapes are decoded", `Fish &amp; chips \*not emphasis\* &copy;`, "Fish & chips *not emphasis* ©"},
		{"a table row is one line", "| a | b |\n|---|---|\n| 1 | 2 |", "a b\n1 2"},
		{"code keeps its text", "```\nx < y\n```", "x < y"},
		{"removed content leaves no text", "before\n\n<script>alert(1)</script>\n\n<style>p{}</style>\n\nafter", "before\nafter"},
		{"images have no text", "![alt text](https://x.example/a.png)", ""},
		{"list items are lines", "- one\n- two", "one\ntwo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, got := r.Render(tt.markdown); got != tt.want {
				t.Fatalf("plain text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	r := newRenderer()
	inputs := []string{"# A\n\ntext [l](https://x.example)", "| a |\n|---|\n| 1 |", "<script>x</script>*y*", "- [x] t\n\n## H"}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i], _ = r.Render(in)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := (g + i) % len(inputs)
				if got, _ := r.Render(inputs[k]); got != want[k] {
					t.Errorf("concurrent Render(%q) = %q, want %q", inputs[k], got, want[k])
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkRender(b *testing.B) {
	r := newRenderer()
	section := "## Section\n\nA paragraph with *emphasis*, `code` and [a link](https://example.com).\n\n" +
		"- item one\n- item two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nfunc main() {}\n```\n\n"
	doc := strings.Repeat(section, 100) // about 20 KB
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		r.Render(doc)
	}
}

// testRenderer renders with the default limits and fails on an error: the inputs of these tests are
// all within the limits.
type testRenderer struct{ r *markdown.Renderer }

func newRenderer() testRenderer { return testRenderer{markdown.NewRenderer(markdown.DefaultLimits())} }

func (t testRenderer) Render(md string) (string, string) {
	html, text, err := t.r.Render(context.Background(), md)
	if err != nil {
		panic(fmt.Sprintf("render %.40q: %v", md, err))
	}
	return html, text
}
