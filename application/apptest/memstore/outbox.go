package memstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/inkwell-cms/inkwell/application"
)

// Outbox implements application.Outbox on the Outbox table: like the GORM outbox it refuses to
// append outside a transaction, and a rolled-back transaction takes its messages with it.
type Outbox struct{ db *DB }

var _ application.Outbox = (*Outbox)(nil)

// ErrOutsideTx is Append's answer outside a transaction.
var ErrOutsideTx = errors.New("outbox: Append must run inside the transaction of the change")

func (o *Outbox) Append(ctx context.Context, msgs ...application.OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	if !InTx(ctx) {
		return ErrOutsideTx
	}
	t, unlock := o.db.lock()
	defer unlock()
	for i, m := range msgs {
		if m.ID == "" || m.Type == "" {
			return fmt.Errorf("outbox: append: message %d needs an id and a type", i)
		}
		for _, o := range t.Outbox {
			if o.ID == m.ID {
				return fmt.Errorf("outbox: message %s: %w", m.ID, errConstraint)
			}
		}
	}
	t.Outbox = append(t.Outbox, msgs...)
	return nil
}
