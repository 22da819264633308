package article

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// RevisionSummary is a revision as the list shows it: no bodies.
type RevisionSummary struct {
	Number    int
	Title     string
	Status    article.Status
	Version   shared.Version
	EditorID  string // empty for changes made by the system (scheduled publishing)
	CreatedAt time.Time
	Pending   bool // a state of pending changes, not of the live content
}

// RevisionDetail is one revision with its content. Tags deleted since are left out.
type RevisionDetail struct {
	RevisionSummary
	Excerpt, BodyMarkdown, MetaTitle, MetaDescription, CoverImageURL string
	Tags                                                             []TagRef
	SEO                                                              article.SEO
	Featured                                                         bool
}

// Revisions lists one page of the article's revisions, newest first.
func (s *Service) Revisions(ctx context.Context, id string, r listing.Request) (listing.Page[RevisionSummary], error) {
	if _, err := authz.RequireReader(ctx); err != nil {
		return listing.Page[RevisionSummary]{}, wrap("list revisions", err)
	}
	q := article.RevisionQuery{ArticleID: id, Limit: r.Fetch()}
	if r.After != nil {
		n, err := strconv.Atoi(r.After.ID)
		if err != nil || n < 1 {
			return listing.Page[RevisionSummary]{}, wrap("list revisions", listing.ErrInvalidCursor)
		}
		q.Before = n
	}
	if _, err := s.articles.Get(ctx, id); err != nil {
		return listing.Page[RevisionSummary]{}, wrap("list revisions of "+id, err)
	}
	revs, err := s.articles.ListRevisions(ctx, q)
	if err != nil {
		return listing.Page[RevisionSummary]{}, wrap("list revisions of "+id, err)
	}
	page := listing.Cut(revs, r, func(rev article.Revision) listing.Cursor {
		return listing.Cursor{Order: RevisionOrder, ID: strconv.Itoa(rev.Number)}
	})
	return listing.Map(page, revisionSummary), nil
}

// RevisionOrder names the order of revision lists (newest first), which their cursors are bound to.
const RevisionOrder = "revisions"

// Revision returns one revision of the article with its content.
func (s *Service) Revision(ctx context.Context, id string, number int) (RevisionDetail, error) {
	if _, err := authz.RequireReader(ctx); err != nil {
		return RevisionDetail{}, wrap("get revision", err)
	}
	useCase := "get revision " + strconv.Itoa(number) + " of " + id
	rev, err := s.articles.GetRevision(ctx, id, number)
	if err != nil {
		return RevisionDetail{}, wrap(useCase, err)
	}
	tags, err := s.existingTags(ctx, rev.TagIDs)
	if err != nil {
		return RevisionDetail{}, wrap(useCase, err)
	}
	refs := make([]TagRef, len(tags))
	for i, t := range tags {
		refs[i] = TagRef{ID: t.ID(), Slug: t.Slug(), Name: t.Name()}
	}
	return RevisionDetail{
		RevisionSummary: revisionSummary(rev), Excerpt: rev.Excerpt, BodyMarkdown: rev.BodyMarkdown,
		MetaTitle: rev.MetaTitle, MetaDescription: rev.MetaDescription, CoverImageURL: rev.CoverImageURL, Tags: refs,
		SEO: rev.SEO, Featured: rev.Featured,
	}, nil
}

// RestoreRevision makes the revision's content the article's current content, as a new change at
// version expected; the status and the slug stay. Tags deleted since the revision are dropped.
//
// Two phases: the revision is read and its body rendered before the transaction opens (a revision
// never changes once stored, so reading it outside is safe); the transaction then loads the article,
// checks its version and applies the rendered revision.
func (s *Service) RestoreRevision(ctx context.Context, id string, number int, expected shared.Version) (ArticleDetail, error) {
	useCase := "restore revision " + strconv.Itoa(number) + " of article"
	if err := s.mayChange(ctx, mayEdit, "edit this article"); err != nil {
		return ArticleDetail{}, wrap(useCase, err)
	}
	rev, err := s.articles.GetRevision(ctx, id, number)
	if err != nil {
		return ArticleDetail{}, wrap(useCase+" "+id, err)
	}
	body, err := article.RenderBody(ctx, s.renderer, rev.BodyMarkdown)
	if err != nil {
		return ArticleDetail{}, wrap(useCase+" "+id, err)
	}
	return s.change(ctx, articleChange{
		useCase: useCase, id: id, expected: expected, action: "edit this article", policy: mayEdit,
		apply: func(ctx context.Context, a *article.Article, now time.Time) (bool, error) {
			tags, err := s.existingTags(ctx, rev.TagIDs)
			if err != nil {
				return false, err
			}
			rev.TagIDs = make([]string, len(tags))
			for i, t := range tags {
				rev.TagIDs[i] = t.ID()
			}
			return a.RestoreRevision(rev, body, now)
		},
	}, true)
}

// existingTags loads the tags with ids, in their order, skipping the ones deleted since.
func (s *Service) existingTags(ctx context.Context, ids []string) ([]*tag.Tag, error) {
	out := make([]*tag.Tag, 0, len(ids))
	for _, id := range ids {
		t, err := s.tags.Get(ctx, id)
		if errors.Is(err, tag.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func revisionSummary(r article.Revision) RevisionSummary {
	return RevisionSummary{
		Number: r.Number, Title: r.Title, Status: r.Status, Version: r.Version, EditorID: r.EditorID, CreatedAt: r.CreatedAt,
		Pending: r.Pending,
	}
}
