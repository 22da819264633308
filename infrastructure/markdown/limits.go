package markdown

import (
	"fmt"
	"strings"
	"time"

	"github.com/inkwell-cms/inkwell/domain/article"
)

// Limits bound the work of one render. Markdown parsers, goldmark included, do more than linear
// work on some shapes (an 800 KB body of "[a](" repeated took 9.7 s); the shapes are refused
// before parsing, by one linear scan, and whatever is left is stopped by the deadline.
type Limits struct {
	MaxBytes         int           // body size in bytes (at most article.MaxBodyBytes)
	MaxNesting       int           // blockquote and list containers on one line
	MaxUnclosedLinks int           // link openers "](" not closed on their line, in the whole body
	MaxTableCells    int           // cells of every table, short rows counted as padded
	MaxHTMLBytes     int           // rendered HTML before sanitizing (reference links can amplify)
	Timeout          time.Duration // a render that runs longer is stopped
}

// DefaultLimits are generous for writing and small for attacks: a 1 MiB body within them renders
// in well under a second.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes: article.MaxBodyBytes, MaxNesting: 32, MaxUnclosedLinks: 64, MaxTableCells: 100_000,
		MaxHTMLBytes: 8 * article.MaxBodyBytes, Timeout: 2 * time.Second,
	}
}

// The limit names errors carry: the settings' keys under markdown.
const (
	limitBytes    = "max_body_bytes"
	limitNesting  = "max_nesting"
	limitLinks    = "max_unclosed_links"
	limitCells    = "max_table_cells"
	limitHTML     = "max_html_bytes"
	limitDeadline = "render_timeout"
)

// check is the linear scan: it refuses a body over MaxBytes, a line nesting containers deeper than
// MaxNesting, more than MaxUnclosedLinks unclosed link openers and tables of more than
// MaxTableCells cells. It works line by line and never looks back, so its own cost is linear.
func (l Limits) check(md string) error {
	if len(md) > l.MaxBytes {
		return article.ErrBodyLimit(limitBytes, int64(l.MaxBytes), fmt.Sprintf("must be at most %d bytes", l.MaxBytes))
	}
	unclosed, cells, tableCols := 0, 0, 0
	for line := range strings.Lines(md) {
		depth, rest := prefixDepth(line)
		if depth > l.MaxNesting {
			return article.ErrBodyLimit(limitNesting, int64(l.MaxNesting),
				fmt.Sprintf("nests blockquotes or lists %d levels deep; at most %d are allowed", depth, l.MaxNesting))
		}
		if unclosed += unclosedLinks(rest); unclosed > l.MaxUnclosedLinks {
			return article.ErrBodyLimit(limitLinks, int64(l.MaxUnclosedLinks),
				fmt.Sprintf("has more than %d link openers \"](\" without their closing \")\" on the same line", l.MaxUnclosedLinks))
		}
		switch {
		case strings.TrimSpace(rest) == "":
			tableCols = 0
		case tableCols > 0:
			cells += tableCols
		default:
			// A delimiter row opens a table of that many columns; its header row counts too.
			if tableCols = delimiterColumns(rest); tableCols > 0 {
				cells += 2 * tableCols
			}
		}
		if cells > l.MaxTableCells {
			return article.ErrBodyLimit(limitCells, int64(l.MaxTableCells),
				fmt.Sprintf("has tables of more than %d cells (short rows count as full)", l.MaxTableCells))
		}
	}
	return nil
}

// prefixDepth counts the container markers that open a line (">" and list markers) plus its
// indentation (four columns count as a level, whatever the list style), and returns the rest.
func prefixDepth(line string) (int, string) {
	markers, cols, i := 0, 0, 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4
			i++
		case c == '>':
			markers++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			markers++
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				markers++
				i = j + 2
				continue
			}
			return markers + cols/4, line[i:]
		default:
			return markers + cols/4, line[i:]
		}
	}
	return markers + cols/4, ""
}

// unclosedLinks counts the link openers "](" of a line whose destination's ")" does not follow on
// the line, and the parentheses left open after the first of them: each makes the parser scan the
// rest of the paragraph again. One pass with a stack of the openers' parenthesis depths.
func unclosedLinks(line string) int {
	var openers []int // parenthesis depth each pending opener's "(" was opened at
	depth := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++ // an escaped character is text
		case '(':
			if i > 0 && line[i-1] == ']' {
				openers = append(openers, depth)
			}
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
			if n := len(openers); n > 0 && openers[n-1] == depth {
				openers = openers[:n-1]
			}
		}
	}
	if len(openers) == 0 {
		return 0
	}
	return len(openers) + max(depth-openers[0]-len(openers), 0)
}

// delimiterColumns returns the number of columns of a GFM table delimiter row ("| --- | :-: |"),
// or 0 when the line is not one.
func delimiterColumns(line string) int {
	line = strings.TrimSpace(line)
	if !strings.Contains(line, "-") || !strings.Contains(line, "|") {
		return 0
	}
	for _, c := range line {
		if c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t' {
			return 0
		}
	}
	cols := 0
	for cell := range strings.SplitSeq(strings.Trim(line, "|"), "|") {
		if strings.Contains(cell, "-") {
			cols++
		}
	}
	return cols
}
