package article

import (
	"context"
	"time"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Repository stores articles and their revisions. Implementations join the transaction carried in ctx.
//
//   - Get returns trashed articles too (callers decide what a trashed article means to them), and
//     ErrNotFound when there is no such article.
//   - Add and Save return shared.ErrSlugTaken when another article holds the slug. Save succeeds only
//     while the stored version equals expected (UPDATE … WHERE id = ? AND version = ?) and stores
//     a.Version(); otherwise it fails with shared.VersionConflict carrying the stored version
//     (ErrNotFound when the article is gone), so the caller never reads the version again.
//   - AddRevision stores rev as the article's next revision and returns its number: one more than
//     the highest stored, 1 for the first (rev.Number is not read). ListRevisions returns up to
//     q.Limit revisions numbered below q.Before (all when 0), newest first; GetRevision returns
//     ErrRevisionNotFound.
//   - PurgeTrashedBefore deletes, with their revisions, the articles trashed before t and says how many.
//   - DueScheduled returns up to limit ids of untrashed scheduled articles whose time is at or before
//     now, oldest first, locking them so that concurrent workers skip them (FOR UPDATE SKIP LOCKED
//     where the database has it).
//   - DueChanges does the same for published, untrashed articles whose pending changes are
//     scheduled at or before now (ordered by that time).
type Repository interface {
	Get(ctx context.Context, id string) (*Article, error)
	Add(ctx context.Context, a *Article) error
	Save(ctx context.Context, a *Article, expected shared.Version) error
	AddRevision(ctx context.Context, rev Revision) (int, error)
	ListRevisions(ctx context.Context, q RevisionQuery) ([]Revision, error)
	GetRevision(ctx context.Context, articleID string, number int) (Revision, error)
	PurgeTrashedBefore(ctx context.Context, t time.Time) (int, error)
	DueScheduled(ctx context.Context, now time.Time, limit int) ([]string, error)
	DueChanges(ctx context.Context, now time.Time, limit int) ([]string, error)
}

// RevisionQuery asks for one page of an article's revisions, newest first: those numbered below
// Before (0: from the newest), at most Limit.
type RevisionQuery struct {
	ArticleID string
	Before    int
	Limit     int
}
