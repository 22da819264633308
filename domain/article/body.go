package article

import (
	"context"
	"fmt"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Body is an article body: the Markdown an author wrote together with its rendering (sanitized HTML
// and plain text). Only RenderBody makes one, so an aggregate holding a Body holds HTML that is the
// rendering of its Markdown.
//
// Why a value and not a Renderer passed into the aggregate's methods: rendering is the one
// expensive, input-driven step of a write, and the aggregate's methods run inside the write
// transaction (on SQLite under the database's write lock). Taking the rendered body instead of the
// renderer makes it impossible to render inside the transaction: the application renders first,
// then opens the transaction for only the reads and writes it needs. The aggregate still guards its
// rules: it validates every field, decides whether the body changed, derives the excerpt and the
// reading time, and cannot be handed HTML that did not come from rendering.
type Body struct {
	markdown string
	html     string
	text     string
}

// RenderBody checks markdown against the body's limits and renders it. Renderers refuse input over
// their own, configurable limits (nesting, unclosed links, size, render time) with a
// BodyLimitExceeded error; MaxBodyBytes is the ceiling no configuration can raise.
func RenderBody(ctx context.Context, r Renderer, markdown string) (Body, error) {
	if len(markdown) > MaxBodyBytes {
		return Body{}, shared.Validation(shared.FieldError{Field: "body_markdown", Message: fmt.Sprintf("must be at most %d bytes", MaxBodyBytes)})
	}
	if markdown == "" {
		return Body{}, nil
	}
	html, text, err := r.Render(ctx, markdown)
	if err != nil {
		return Body{}, fmt.Errorf("render body: %w", err)
	}
	return Body{markdown: markdown, html: html, text: text}, nil
}

// Markdown is the body as the author wrote it.
func (b Body) Markdown() string { return b.markdown }

// BodyLimitExceeded is the code of a body refused before or while rendering because it would cost
// more than the configured bounds allow; it answers 422 with the field body_markdown.
const BodyLimitExceeded = "body_limit_exceeded"

// ErrBodyLimit refuses a body over one of the renderer's limits: limit names the setting (e.g.
// "max_nesting"), max its value, and message says what the body does wrong in an author's words.
func ErrBodyLimit(limit string, max int64, message string) *shared.Error {
	e := shared.New(shared.KindInvalid, BodyLimitExceeded,
		fmt.Sprintf("the body exceeds the %s limit (%d): %s", limit, max, message))
	e.Fields = []shared.FieldError{{Field: "body_markdown", Message: message}}
	return e.WithDetail("limit", limit).WithDetail("max", max)
}
