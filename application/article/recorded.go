package article

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// recordChange, inside the change's transaction, stores the revision and the events of a saved
// change and returns the article as the API shows it.
func (s *Service) recordChange(ctx context.Context, p authz.Principal, a *article.Article, changed bool, now time.Time) (ArticleDetail, error) {
	if changed {
		// The repository numbers the revision as it stores it.
		if _, err := s.articles.AddRevision(ctx, a.Snapshot(0, p.UserID, now)); err != nil {
			return ArticleDetail{}, err
		}
	}
	detail, err := s.writtenDetail(ctx, a)
	if err != nil {
		return ArticleDetail{}, err
	}
	if err := s.appendArticleEvents(ctx, a.PullEvents(), detail.ArticleSummary); err != nil {
		return ArticleDetail{}, err
	}
	return detail, nil
}

// writtenDetail is the article just written, as the read model would answer it: the aggregate
// holds every field but the names of its author and tags, which one read adds. Reading the whole
// article back would read what this transaction has just written.
func (s *Service) writtenDetail(ctx context.Context, a *article.Article) (ArticleDetail, error) {
	// The pending changes' tags are named in the same read as the live ones.
	live, pending := a.TagIDs(), pendingTagIDs(a)
	author, refs, err := s.reads.ArticleRefs(ctx, a.AuthorID(), append(slices.Clone(live), pending...))
	if err != nil {
		return ArticleDetail{}, fmt.Errorf("name author and tags: %w", err)
	}
	byID := make(map[string]TagRef, len(refs))
	for _, t := range refs {
		byID[t.ID] = t
	}
	tags := make([]TagRef, 0, len(live))
	for _, id := range live {
		if t, ok := byID[id]; ok {
			tags = append(tags, t)
		}
	}
	d := ArticleDetail{
		ArticleSummary: ArticleSummary{
			ID: a.ID(), Slug: a.Slug(), Title: a.Title(), Excerpt: a.Excerpt(), CoverImageURL: a.CoverImageURL(),
			Status: a.Status(), Tags: tags, Author: author,
			PublishedAt: utcTime(a.PublishedAt()), ScheduledAt: utcTime(a.ScheduledAt()), TrashedAt: utcTime(a.TrashedAt()),
			CreatedAt: a.CreatedAt().UTC(), UpdatedAt: a.UpdatedAt().UTC(), ReadingTimeMinutes: a.ReadingTimeMinutes(),
			Version: a.Version(), Featured: a.Featured(),
		},
		BodyMarkdown: a.BodyMarkdown(), BodyHTML: a.BodyHTML(), MetaTitle: a.MetaTitle(), MetaDescription: a.MetaDescription(),
		SEO: a.SEO(),
	}
	pendingDetail(&d, a, byID)
	return d, nil
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
