package article_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	articleapp "github.com/inkwell-cms/inkwell/application/article"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// own returns an article in status st (trashed when trash is set) whose author is owner.
func (f *fixture) own(owner string, st article.Status, trash bool) articleapp.ArticleDetail {
	f.t.Helper()
	d := f.draft(uAdmin, "Owned by "+owner)
	f.w.db.Update(func(t *memstore.Tables) { // no use case hands an article to another author
		s := t.Articles[d.ID]
		s.AuthorID = owner
		t.Articles[d.ID] = s
	})
	switch st {
	case article.StatusPublished:
		d = f.act(d, articleapp.ActionPublish, nil)
	case article.StatusScheduled:
		d = f.act(d, articleapp.ActionSchedule, ptr(t0.Add(time.Hour)))
	case article.StatusArchived:
		d = f.act(d, articleapp.ActionArchive, nil)
	}
	if trash {
		if err := f.svc.Trash(ctxAdmin(), d.ID, d.Version); err != nil {
			f.t.Fatal(err)
		}
		d.Version++
	}
	return d
}

func ctxAdmin() context.Context { return as(uAdmin) }

// operation is one use case attempted by user on an article of owner (the user itself or another).
type operation struct {
	name   string
	other  bool // the article belongs to someone else
	status article.Status
	trash  bool
	run    func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error
}

func workflow(a articleapp.Action, at *time.Time) func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
	return func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
		_, err := f.svc.Act(ctx, d.ID, d.Version, a, at)
		return err
	}
}

func edit(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
	_, err := f.svc.Update(ctx, d.ID, d.Version, articleapp.UpdateArticle{Title: ptr("Edited")})
	return err
}

var operations = []operation{
	{name: "create", run: func(f *fixture, ctx context.Context, _ articleapp.ArticleDetail) error {
		_, err := f.svc.Create(ctx, articleapp.CreateArticle{Title: "New one"})
		return err
	}},
	{name: "read other's draft", other: true, run: func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
		_, err := f.svc.Get(ctx, d.ID)
		return err
	}},
	{name: "edit own draft", run: edit},
	{name: "edit own published", status: article.StatusPublished, run: edit},
	{name: "edit other's draft", other: true, run: edit},
	{name: "publish own draft", run: workflow(articleapp.ActionPublish, nil)},
	{name: "publish other's draft", other: true, run: workflow(articleapp.ActionPublish, nil)},
	{name: "schedule own draft", run: workflow(articleapp.ActionSchedule, ptr(t0.Add(2*time.Hour)))},
	{name: "unschedule own scheduled", status: article.StatusScheduled, run: workflow(articleapp.ActionUnschedule, nil)},
	{name: "unpublish own published", status: article.StatusPublished, run: workflow(articleapp.ActionUnpublish, nil)},
	{name: "archive own draft", run: workflow(articleapp.ActionArchive, nil)},
	{name: "unarchive own archived", status: article.StatusArchived, run: workflow(articleapp.ActionUnarchive, nil)},
	{name: "trash own draft", run: func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
		return f.svc.Trash(ctx, d.ID, d.Version)
	}},
	{name: "trash other's draft", other: true, run: func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
		return f.svc.Trash(ctx, d.ID, d.Version)
	}},
	{name: "restore own trashed draft", trash: true, run: func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
		_, err := f.svc.RestoreFromTrash(ctx, d.ID)
		return err
	}},
	{name: "restore revision of own draft", run: func(f *fixture, ctx context.Context, d articleapp.ArticleDetail) error {
		_, err := f.svc.RestoreRevision(ctx, d.ID, 1, d.Version)
		return err
	}},
}

// allowedOps lists, per user (one per role), what a read-write token may do; everything else must
// be refused with 403, and a read-only token may only read.
var allowedOps = map[string][]string{
	uAdmin: {"create", "read other's draft", "edit own draft", "edit own published", "edit other's draft",
		"publish own draft", "publish other's draft", "schedule own draft", "unschedule own scheduled",
		"unpublish own published", "archive own draft", "unarchive own archived", "trash own draft",
		"trash other's draft", "restore own trashed draft", "restore revision of own draft"},
	uEditor: {"create", "read other's draft", "edit own draft", "edit own published", "edit other's draft",
		"publish own draft", "publish other's draft", "schedule own draft", "unschedule own scheduled",
		"unpublish own published", "archive own draft", "unarchive own archived", "trash own draft",
		"trash other's draft", "restore own trashed draft", "restore revision of own draft"},
	uAuthor: {"create", "read other's draft", "edit own draft", "edit own published", "publish own draft",
		"schedule own draft", "unschedule own scheduled", "unpublish own published", "archive own draft",
		"unarchive own archived", "trash own draft", "restore own trashed draft", "restore revision of own draft"},
	uContrib: {"create", "read other's draft", "edit own draft", "trash own draft", "restore own trashed draft",
		"restore revision of own draft"},
	uViewer: {"read other's draft"},
}

func TestEveryRoleAndActionIsAllowedOrDenied(t *testing.T) {
	t.Parallel()
	for _, readOnly := range []bool{false, true} {
		for user, names := range allowedOps {
			allowed := map[string]bool{}
			for _, n := range names {
				allowed[n] = !readOnly || n == "read other's draft"
			}
			for _, op := range operations {
				t.Run(fmt.Sprintf("%s/read-only=%v/%s", roleOf[user], readOnly, op.name), func(t *testing.T) {
					t.Parallel()
					f := newFixture(t)
					owner := user
					if op.other {
						owner = uAuthor2
					}
					d := f.own(owner, op.status, op.trash)
					f.tag("Go")
					ctx := as(user)
					if readOnly {
						ctx = asReadOnly(user)
					}
					before, revs := f.stored(d.ID)
					err := op.run(f, ctx, d)
					if allowed[op.name] {
						if err != nil {
							t.Fatalf("want allowed, got %v", err)
						}
						return
					}
					if codeOf(err) != "forbidden" {
						t.Fatalf("want forbidden, got %v", err)
					}
					if v, n := f.stored(d.ID); v != before || n != revs {
						t.Fatalf("a refused change wrote: version %d→%d, revisions %d→%d", before, v, revs, n)
					}
				})
			}
		}
	}
}

func TestNoPrincipalIsUnauthorized(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	d := f.draft(uAuthor, "Mine")
	for _, op := range operations {
		if err := op.run(f, context.Background(), d); codeOf(err) != "unauthorized" {
			t.Errorf("%s without a principal: %v", op.name, err)
		}
	}
}
