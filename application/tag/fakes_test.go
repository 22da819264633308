package tag_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// The tag repository, the outbox and the transactions are memstore's, which pass the contract
// suites; the journal, the journaling transaction manager and cache and the failing outbox are
// apptest's. What is left here is the tag read model.

// world is what the fakes share: the memstore database, the journal of transactions and cache
// operations, and the public article count of each tag (articles are application/article's; tests
// set the counts).
type world struct {
	db      *memstore.DB
	journal *apptest.Journal
	outbox  *apptest.FailingOutbox

	mu     sync.Mutex
	counts map[string]int
	reads  int // read-model calls
}

func newWorld() *world {
	db := memstore.New()
	return &world{db: db, journal: &apptest.Journal{}, outbox: &apptest.FailingOutbox{Outbox: db.Outbox()},
		counts: map[string]int{}}
}

func (w *world) outboxCopy() (out []application.OutboxMessage) {
	w.db.View(func(t memstore.Tables) { out = slices.Clone(t.Outbox) })
	return out
}

// memReads answers the tag ReadModel from the Tags table and the world's counts, by name, keyset
// after the cursor.
type memReads struct{ w *world }

// tags returns the stored tags, counting the call as a read.
func (r memReads) tags() []tag.State {
	r.w.mu.Lock()
	r.w.reads++
	r.w.mu.Unlock()
	var out []tag.State
	r.w.db.View(func(t memstore.Tables) {
		for _, s := range t.Tags {
			out = append(out, s)
		}
	})
	return out
}

func (r memReads) view(t tag.State) tagapp.TagView {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	return tagapp.TagView{ID: t.ID, Slug: t.Slug, Name: t.Name, Description: t.Description, ArticleCount: r.w.counts[t.ID],
		Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func (r memReads) List(_ context.Context, q tagapp.ListQuery) ([]tagapp.TagView, error) {
	states := slices.DeleteFunc(r.tags(), func(t tag.State) bool {
		return q.After != nil && compareKeys(tag.NormalizeName(t.Name), t.ID, q.After.Text, q.After.ID) <= 0
	})
	slices.SortFunc(states, func(a, b tag.State) int {
		return compareKeys(tag.NormalizeName(a.Name), a.ID, tag.NormalizeName(b.Name), b.ID)
	})
	out := []tagapp.TagView{}
	for _, t := range states[:min(q.Limit, len(states))] {
		out = append(out, r.view(t))
	}
	return out, nil
}

// compareKeys orders (name key, id) pairs as the tag lists do.
func compareKeys(keyA, idA, keyB, idB string) int {
	return cmp.Or(strings.Compare(keyA, keyB), strings.Compare(idA, idB))
}

func (r memReads) find(match func(tag.State) bool) (tagapp.TagView, error) {
	for _, t := range r.tags() {
		if match(t) {
			return r.view(t), nil
		}
	}
	return tagapp.TagView{}, tag.ErrNotFound
}

func (r memReads) GetBySlug(_ context.Context, slug string, _ time.Time) (tagapp.TagView, error) {
	return r.find(func(t tag.State) bool { return t.Slug == slug })
}

func (r memReads) Get(_ context.Context, id string, _ time.Time) (tagapp.TagView, error) {
	return r.find(func(t tag.State) bool { return t.ID == id })
}

// shapedTag is the data viewShapes gives a tag event: the view itself, marked.
type shapedTag struct{ tagapp.TagView }

// viewShapes is the EventShapes of the use-case tests; the HTTP layer's is tested against the API.
type viewShapes struct{}

func (viewShapes) Tag(v tagapp.TagView) any { return shapedTag{v} }
