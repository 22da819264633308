package markdown

import (
	"context"
	"errors"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// goldmark has no cancellation, and a goroutine cannot be stopped from outside: a render past its
// deadline would keep a CPU busy until it finished. Instead the parser itself looks at the deadline:
// two parsers that never parse anything sit first in line for every block and at every inline
// trigger (every space and punctuation mark), and panic with errStop once the context is done;
// Renderer.convert recovers it. Between two checks the parser does at most one scan of the rest of
// the paragraph, so a render stops within about a linear pass of its deadline.

var (
	deadlineKey = parser.NewContextKey()
	errStop     = errors.New("markdown: render stopped")
)

// deadline is what the checks share within one render; checking ctx on every call would cost more
// than the parse, so it is read every checkEvery calls.
type deadline struct {
	ctx   context.Context
	calls int
}

const checkEvery = 64

func check(pc parser.Context) {
	d, ok := pc.Get(deadlineKey).(*deadline)
	if !ok {
		return
	}
	if d.calls++; d.calls%checkEvery == 0 && d.ctx.Err() != nil {
		panic(errStop)
	}
}

// deadlineBlocks is tried before every block parser on every line.
type deadlineBlocks struct{}

func (deadlineBlocks) Trigger() []byte { return nil }
func (deadlineBlocks) Open(_ ast.Node, _ text.Reader, pc parser.Context) (ast.Node, parser.State) {
	check(pc)
	return nil, parser.NoChildren
}
func (deadlineBlocks) Continue(ast.Node, text.Reader, parser.Context) parser.State {
	return parser.Close
}
func (deadlineBlocks) Close(ast.Node, text.Reader, parser.Context) {}
func (deadlineBlocks) CanInterruptParagraph() bool                 { return true }
func (deadlineBlocks) CanAcceptIndentedLine() bool                 { return true }

// deadlineInlines is tried before every inline parser at every trigger character.
type deadlineInlines struct{}

func (deadlineInlines) Trigger() []byte { return []byte(" []()!`*_~<>|\\&:@") }
func (deadlineInlines) Parse(_ ast.Node, _ text.Reader, pc parser.Context) ast.Node {
	check(pc)
	return nil
}
