package memstore

import (
	"errors"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// The errors below are the ones the GORM repositories translate their constraint violations into;
// the contract suites hold both to the same codes, fields and details.

// taken is a unique-key conflict naming the field that holds the taken value.
func taken(e *shared.Error, field, message string) *shared.Error {
	c := *e
	c.Fields = []shared.FieldError{{Field: field, Message: message}}
	return &c
}

// errConstraint stands for a constraint the database enforces without a domain error (a foreign or
// primary key): the caller has a bug, and the GORM repositories return the driver's error.
var errConstraint = errors.New("memstore: constraint violation")
