package article_test

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
)

// world is what the fakes share: the memstore database (whose repositories pass the contract
// suites), the authors the read model shows, and the journal of transactions and cache operations
// that the transaction manager and the cache (apptest's) keep in the order they happened.
type world struct {
	db      *memstore.DB
	journal *apptest.Journal
	tx      apptest.JournaledTx
	outbox  *apptest.FailingOutbox

	mu      sync.Mutex
	authors map[string]articleapp.AuthorRef
	reads   int // read-model calls of the public reads
}

func newWorld() *world {
	db, journal := memstore.New(), &apptest.Journal{}
	return &world{db: db, journal: journal, tx: apptest.JournaledTx{Tx: db, Journal: journal},
		outbox: &apptest.FailingOutbox{Outbox: db.Outbox()}, authors: map[string]articleapp.AuthorRef{}}
}

func (w *world) outboxCopy() (out []application.OutboxMessage) {
	w.db.View(func(t memstore.Tables) { out = slices.Clone(t.Outbox) })
	return out
}

type plainRenderer struct{}

func (plainRenderer) Render(_ context.Context, md string) (string, string, error) {
	return "<p>" + md + "</p>", md, nil
}

func eventTypes(msgs []application.OutboxMessage) string {
	types := make([]string, len(msgs))
	for i, m := range msgs {
		types[i] = m.Type
	}
	return strings.Join(types, ",")
}
