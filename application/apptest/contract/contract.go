// Package contract holds the contract suites of the storage ports. Every implementation runs the
// same suite: the GORM repositories on SQLite and PostgreSQL (infrastructure/persistence) and the
// in-memory fakes the use-case tests rely on (application/apptest/memstore), so a fake cannot answer
// differently from the real thing.
//
// A suite takes a function that opens a fresh, empty store for one subtest and returns the ports
// under test. Writes that the application makes inside a transaction run inside the harness's
// TxManager here too; the GORM repositories pick the transaction up from the context, the fakes
// need none.
package contract

import (
	"context"
	"errors"
	"html"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// t0 is the suites' reference time: microsecond precision, as the clock gives and both databases
// keep.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)

// newID returns a UUIDv7, the shape every row id has.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

func ptr[T any](v T) *T { return &v }

// errorParts returns the code, kind and field names of the *shared.Error in err's chain.
func errorParts(err error) (code string, kind shared.Kind, fields []string) {
	var e *shared.Error
	if !errors.As(err, &e) {
		return "", shared.KindInternal, nil
	}
	for _, fe := range e.Fields {
		fields = append(fields, fe.Field)
	}
	return e.Code, e.Kind, fields
}

// currentVersionOf returns the current_version detail of a version conflict.
func currentVersionOf(err error) any {
	var e *shared.Error
	if !errors.As(err, &e) {
		return nil
	}
	return e.Details["current_version"]
}

// renderer is a stand-in for the Markdown renderer: rendering is not the repositories' business,
// storing what it produced is.
type renderer struct{}

func (renderer) Render(_ context.Context, md string) (string, string, error) {
	return "<p>" + html.EscapeString(md) + "</p>", strings.TrimSpace(strings.ReplaceAll(md, "#", "")), nil
}

// body renders md with the stand-in renderer, as the application does before a transaction.
func body(md string) article.Body {
	b, err := article.RenderBody(context.Background(), renderer{}, md)
	if err != nil {
		panic(err)
	}
	return b
}
