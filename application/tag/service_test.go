package tag_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/listing"
	tagapp "github.com/inkwell-cms/inkwell/application/tag"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	t   *testing.T
	w   *world
	svc *tagapp.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	w := newWorld()
	aside := cacheaside.New(apptest.NewCache(w.journal), cacheaside.Options{Enabled: true, TTL: time.Minute}, zap.NewNop())
	svc := tagapp.NewService(apptest.JournaledTx{Tx: w.db, Journal: w.journal}, w.db.Tags(), memReads{w: w}, w.outbox, viewShapes{}, aside,
		apptest.NewClock(t0), &apptest.IDs{})
	return &fixture{t: t, w: w, svc: svc}
}

// as is the context of a user of role acting through a token.
func as(role identity.Role) context.Context {
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: "u-" + string(role), Role: role, TokenID: "tok"})
}

func asReadOnly(role identity.Role) context.Context {
	return authz.WithPrincipal(context.Background(), authz.Principal{UserID: "u-" + string(role), Role: role, TokenID: "tok", ReadOnly: true})
}

func (f *fixture) create(name string) tagapp.TagView {
	f.t.Helper()
	v, err := f.svc.Create(as(identity.RoleEditor), tagapp.CreateTag{Name: name})
	if err != nil {
		f.t.Fatalf("create tag %q: %v", name, err)
	}
	return v
}

func (f *fixture) setCount(id string, n int) {
	f.w.mu.Lock()
	defer f.w.mu.Unlock()
	f.w.counts[id] = n
}

func (f *fixture) since(mark int) []string { return f.w.journal.Since(mark) }

func codeOf(err error) string {
	var de *shared.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

func TestTagLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := as(identity.RoleEditor)
	tg, err := f.svc.Create(ctx, tagapp.CreateTag{Name: "Go Lang", Description: "Gophers"})
	if err != nil || tg.Slug != "go-lang" || tg.Version != 1 {
		t.Fatalf("create: %+v, %v", tg, err)
	}
	if _, err := f.svc.Create(ctx, tagapp.CreateTag{Name: "go lang", Slug: "other"}); !errors.Is(err, tag.ErrNameTaken) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, err := f.svc.Create(ctx, tagapp.CreateTag{Name: ""}); shared.KindOf(err) != shared.KindInvalid {
		t.Fatalf("empty name: %v", err)
	}
	f.setCount(tg.ID, 1)

	if _, err := f.svc.Update(ctx, tg.ID, 0, tagapp.UpdateTag{Name: ptr("Go")}); codeOf(err) != "precondition_required" {
		t.Fatalf("update without If-Match: %v", err)
	}
	if _, err := f.svc.Update(as(identity.RoleAuthor), tg.ID, tg.Version, tagapp.UpdateTag{Name: ptr("Go")}); codeOf(err) != "forbidden" {
		t.Fatalf("author updating a tag: %v", err)
	}
	tg, err = f.svc.Update(ctx, tg.ID, tg.Version, tagapp.UpdateTag{Name: ptr("Go")})
	if err != nil || tg.Name != "Go" || tg.Slug != "go-lang" || tg.Version != 2 || tg.ArticleCount != 1 {
		t.Fatalf("rename keeps the slug: %+v, %v", tg, err)
	}
	var de *shared.Error
	if _, err := f.svc.Update(ctx, tg.ID, 1, tagapp.UpdateTag{Name: ptr("Golang")}); !errors.As(err, &de) || de.Details["current_version"] != int64(2) {
		t.Fatalf("stale update: %v", err)
	}
	if err := f.svc.Delete(ctx, tg.ID, 1); codeOf(err) != "version_conflict" {
		t.Fatalf("stale delete: %v", err)
	}
	if err := f.svc.Delete(ctx, tg.ID, 0); codeOf(err) != "precondition_required" {
		t.Fatalf("delete without If-Match: %v", err)
	}
	if err := f.svc.Delete(ctx, tg.ID, tg.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(ctx, tg.ID); !errors.Is(err, tag.ErrNotFound) {
		t.Fatalf("deleted tag still there: %v", err)
	}

	var types []string
	var deleted tagapp.TagView
	for _, m := range f.w.outboxCopy() {
		if m.AggregateType != "tag" || m.AggregateID != tg.ID || m.ID == "" {
			t.Fatalf("tag message: %+v", m)
		}
		types = append(types, m.Type)
		if m.Type == tag.EventDeleted {
			deleted = m.Data.(shapedTag).TagView
		}
	}
	if want := []string{"tag.created", "tag.updated", "tag.deleted"}; !slices.Equal(types, want) {
		t.Fatalf("tag events %v, want %v", types, want)
	}
	if deleted.ID != tg.ID || deleted.Name != "Go" || deleted.Slug != "go-lang" || deleted.ArticleCount != 1 || deleted.Version != 2 {
		t.Fatalf("tag.deleted carries the tag as it was: %+v", deleted)
	}
	if page, err := f.svc.List(as(identity.RoleViewer), listing.FirstPage()); err != nil || len(page.Items) != 0 {
		t.Fatalf("list tags: %+v, %v", page, err)
	}
}

// TestOnlyEditorsAndAdminsManageTags: every role may read; only a read-write editor or admin may
// write, and a refused write changes nothing.
func TestOnlyEditorsAndAdminsManageTags(t *testing.T) {
	t.Parallel()
	roles := []identity.Role{identity.RoleAdmin, identity.RoleEditor, identity.RoleAuthor, identity.RoleContributor, identity.RoleViewer}
	for _, role := range roles {
		for _, readOnly := range []bool{false, true} {
			f := newFixture(t)
			tg := f.create("Go")
			ctx := as(role)
			if readOnly {
				ctx = asReadOnly(role)
			}
			if _, err := f.svc.List(ctx, listing.FirstPage()); err != nil {
				t.Errorf("%s read-only=%v may not list: %v", role, readOnly, err)
			}
			if _, err := f.svc.Get(ctx, tg.ID); err != nil {
				t.Errorf("%s read-only=%v may not get: %v", role, readOnly, err)
			}
			writes := map[string]error{}
			_, writes["create"] = f.svc.Create(ctx, tagapp.CreateTag{Name: "Fresh"})
			_, writes["update"] = f.svc.Update(ctx, tg.ID, tg.Version, tagapp.UpdateTag{Description: ptr("changed")})
			writes["delete"] = f.svc.Delete(ctx, tg.ID, tg.Version+1) // a version conflict once allowed
			mayWrite := !readOnly && (role == identity.RoleAdmin || role == identity.RoleEditor)
			for name, err := range writes {
				if forbidden := codeOf(err) == "forbidden"; forbidden == mayWrite {
					t.Errorf("%s read-only=%v %s: %v", role, readOnly, name, err)
				}
			}
			if !mayWrite && len(f.w.outboxCopy()) != 1 {
				t.Errorf("%s read-only=%v: a refused write recorded events", role, readOnly)
			}
		}
	}
	if _, err := newFixture(t).svc.List(context.Background(), listing.FirstPage()); codeOf(err) != "unauthorized" {
		t.Fatalf("list without a principal: %v", err)
	}
}

func TestTagListsPageByCursor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, name := range []string{"rust", "Go", "web", "Zig", "c"} {
		f.create(name)
	}
	var names []string
	r := listing.Request{Limit: 2}
	for {
		page, err := f.svc.List(as(identity.RoleViewer), r)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Items {
			names = append(names, v.Name)
		}
		if !page.HasMore {
			if page.NextCursor != nil {
				t.Fatalf("the last page has a cursor: %+v", page)
			}
			break
		}
		if page.NextCursor.Order != tagapp.AdminOrder || page.NextCursor.Text != strings.ToLower(names[len(names)-1]) {
			t.Fatalf("cursor %+v", page.NextCursor)
		}
		r.After = page.NextCursor
	}
	if want := []string{"c", "Go", "rust", "web", "Zig"}; !slices.Equal(names, want) {
		t.Fatalf("paged %v, want %v (by name ignoring case)", names, want)
	}
}

func TestAFailedTagWriteLeavesTheCacheAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tg := f.create("Rust")
	f.w.outbox.FailWith(errors.New("outbox down"))
	mark := len(f.w.journal.Entries())
	ctx := as(identity.RoleEditor)
	attempts := map[string]error{}
	_, attempts["create"] = f.svc.Create(ctx, tagapp.CreateTag{Name: "Never"})
	_, attempts["update"] = f.svc.Update(ctx, tg.ID, tg.Version, tagapp.UpdateTag{Name: ptr("Rusty")})
	attempts["delete"] = f.svc.Delete(ctx, tg.ID, tg.Version)
	for name, err := range attempts {
		if err == nil || !strings.Contains(err.Error(), "outbox down") {
			t.Errorf("%s with a failing outbox: %v", name, err)
		}
	}
	for _, entry := range f.since(mark) {
		if entry != "rollback" {
			t.Fatalf("a failed write touched the cache or committed: %v", f.since(mark))
		}
	}
	if got, err := f.svc.Get(ctx, tg.ID); err != nil || got.Name != "Rust" || got.Version != 1 {
		t.Fatalf("the rolled-back change is visible: %+v, %v", got, err)
	}
}

// TestTagWritesRetireTheirCacheEntries: a new tag only changes the tag lists; a rename or a delete
// changes every article that shows the tag, so articles and article lists go too.
func TestTagWritesRetireTheirCacheEntries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mark := len(f.w.journal.Entries())
	tg := f.create("Go")
	if got, want := f.since(mark), []string{"commit", "incr gen:tags"}; !slices.Equal(got, want) {
		t.Fatalf("journal of a create:\n got %v\nwant %v", got, want)
	}
	mark = len(f.w.journal.Entries())
	tg, err := f.svc.Update(as(identity.RoleEditor), tg.ID, tg.Version, tagapp.UpdateTag{Name: ptr("Golang")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Delete(as(identity.RoleEditor), tg.ID, tg.Version); err != nil {
		t.Fatal(err)
	}
	retire := []string{"commit", "incr gen:articles", "incr gen:tags", "incr gen:article"}
	if got, want := f.since(mark), append(slices.Clone(retire), retire...); !slices.Equal(got, want) {
		t.Fatalf("journal of a rename and a delete:\n got %v\nwant %v", got, want)
	}
}

func TestPublicTagReadsGoThroughTheCache(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	goTag := f.create("Go")
	f.create("Rust")
	f.create("Web")
	f.setCount(goTag.ID, 3)
	ctx := context.Background() // public reads need no principal
	reads := func() int {
		f.w.mu.Lock()
		defer f.w.mu.Unlock()
		return f.w.reads
	}

	first, err := f.svc.PublicTags(ctx, listing.Request{Limit: 2})
	if err != nil || len(first.Items) != 2 || !first.HasMore || first.Items[0].ArticleCount != 3 {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	if _, err := f.svc.PublicTag(ctx, "go"); err != nil {
		t.Fatal(err)
	}
	before := reads()
	if again, err := f.svc.PublicTags(ctx, listing.Request{Limit: 2}); err != nil || reads() != before ||
		again.NextCursor == nil || *again.NextCursor != *first.NextCursor {
		t.Fatalf("the first page was loaded again or changed: %+v, %v", again, err)
	}
	if _, err := f.svc.PublicTag(ctx, "go"); err != nil || reads() != before {
		t.Fatalf("the tag was loaded again: %v", err)
	}
	// Another limit and another cursor are other pages, with entries of their own.
	if page, err := f.svc.PublicTags(ctx, listing.Request{Limit: 3}); err != nil || len(page.Items) != 3 || reads() != before+1 {
		t.Fatalf("limit 3 answered from the limit-2 entry: %+v, %v", page, err)
	}
	second, err := f.svc.PublicTags(ctx, listing.Request{Limit: 2, After: first.NextCursor})
	if err != nil || len(second.Items) != 1 || second.Items[0].Name != "Web" || second.HasMore || reads() != before+2 {
		t.Fatalf("second page: %+v, %v", second, err)
	}

	// A rename retires every cached page and tag.
	if _, err := f.svc.Update(as(identity.RoleEditor), goTag.ID, goTag.Version, tagapp.UpdateTag{Name: ptr("Golang")}); err != nil {
		t.Fatal(err)
	}
	if page, err := f.svc.PublicTags(ctx, listing.Request{Limit: 2}); err != nil || page.Items[0].Name != "Golang" {
		t.Fatalf("stale page after a rename: %+v, %v", page, err)
	}
	if v, err := f.svc.PublicTag(ctx, "go"); err != nil || v.Name != "Golang" {
		t.Fatalf("stale tag after a rename: %+v, %v", v, err)
	}
}
