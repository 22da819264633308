package article_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

func TestSnapshotCapturesTheCurrentState(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	if _, err := a.Edit(article.Changes{Excerpt: ptr("Summary"), MetaTitle: ptr("MT"), MetaDescription: ptr("MD"),
		CoverImageURL: ptr("https://x.example/c.png")}, t1); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(t1); err != nil {
		t.Fatal(err)
	}
	rev := a.Snapshot(7, "editor-1", t2)
	want := article.Revision{
		ArticleID: "a1", Number: 7, Title: "Hello World", Excerpt: "Summary", BodyMarkdown: a.BodyMarkdown(),
		TagIDs: []string{"tag-a", "tag-b"}, MetaTitle: "MT", MetaDescription: "MD", CoverImageURL: "https://x.example/c.png",
		Status: article.StatusPublished, Version: 3, EditorID: "editor-1", CreatedAt: t2,
	}
	if !reflect.DeepEqual(rev, want) {
		t.Fatalf("snapshot = %+v\nwant       %+v", rev, want)
	}
}

func TestSnapshotDoesNotShareTags(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	rev := a.Snapshot(1, "u1", t0)
	rev.TagIDs[0] = "changed"
	expect(t, "tag", a.TagIDs()[0], "tag-a")
}

func TestRestoreRevision(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		prepare     func(t *testing.T, a *article.Article) article.Revision
		wantChanged bool
		wantErr     error
	}{
		{
			name: "brings back the old content as a new change",
			prepare: func(t *testing.T, a *article.Article) article.Revision {
				rev := a.Snapshot(1, "u1", t0)
				mustEdit(t, a, article.Changes{Title: ptr("Rewritten"), Slug: ptr("rewritten"), Body: ptr(body("Other")),
					TagIDs: ptr([]string{"tag-c"}), MetaTitle: ptr("New meta")})
				return rev
			},
			wantChanged: true,
		},
		{
			name: "keeps a written excerpt written",
			prepare: func(t *testing.T, a *article.Article) article.Revision {
				mustEdit(t, a, article.Changes{Excerpt: ptr("Summary")})
				rev := a.Snapshot(2, "u1", t0)
				mustEdit(t, a, article.Changes{Excerpt: ptr("")})
				return rev
			},
			wantChanged: true,
		},
		{
			name:    "changes nothing when the content is the same",
			prepare: func(t *testing.T, a *article.Article) article.Revision { return a.Snapshot(1, "u1", t0) },
		},
		{
			name: "refuses another article's revision",
			prepare: func(t *testing.T, a *article.Article) article.Revision {
				rev := a.Snapshot(1, "u1", t0)
				rev.ArticleID = "other"
				return rev
			},
			wantErr: article.ErrRevisionNotFound,
		},
		{
			name: "refuses while in the trash",
			prepare: func(t *testing.T, a *article.Article) article.Revision {
				rev := a.Snapshot(1, "u1", t0)
				if err := a.Trash(t0); err != nil {
					t.Fatal(err)
				}
				return rev
			},
			wantErr: article.ErrTrashed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newArticle(t)
			if err := a.Publish(t0); err != nil {
				t.Fatal(err)
			}
			rev := tt.prepare(t, a)
			before := a.Version()
			slug := a.Slug()
			a.PullEvents()
			changed, err := a.RestoreRevision(rev, body(rev.BodyMarkdown), t2)
			if !errors.Is(err, tt.wantErr) || (err != nil && tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			expect(t, "changed", changed, tt.wantChanged)
			if !tt.wantChanged {
				expect(t, "version", a.Version(), before)
				return
			}
			expect(t, "version", a.Version(), before+1)
			// On a published article the revision's content becomes the pending changes.
			expect(t, "events", eventTypes(a), article.EventChangesSaved)
			expect(t, "status kept", a.Status(), article.StatusPublished)
			expect(t, "slug kept", a.Slug(), slug)
			now := a.Snapshot(rev.Number, rev.EditorID, rev.CreatedAt)
			now.Version, now.Status, now.Pending = rev.Version, rev.Status, rev.Pending
			if !reflect.DeepEqual(now, rev) {
				t.Fatalf("content after restore = %+v\nwant                  %+v", now, rev)
			}
		})
	}
}

func TestRestoreRevisionValidatesLikeAnEdit(t *testing.T) {
	t.Parallel()
	a := newArticle(t)
	rev := a.Snapshot(1, "u1", t0)
	rev.TagIDs = []string{"x", "x"}
	_, err := a.RestoreRevision(rev, body(rev.BodyMarkdown), t1)
	if got := fieldsOf(err); !slices.Equal(got, []string{"tags"}) {
		t.Fatalf("error fields = %v (%v), want [tags]", got, err)
	}
	expect(t, "version", a.Version(), shared.Version(1))
}

func mustEdit(t *testing.T, a *article.Article, ch article.Changes) {
	t.Helper()
	if _, err := a.Edit(ch, t1); err != nil {
		t.Fatal(err)
	}
}
