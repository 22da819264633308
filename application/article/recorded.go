package article

import (
	"context"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// articleRefs names an article's author and tags, as the API shows them.
type articleRefs struct {
	author AuthorRef
	tags   []TagRef
}

// recordChange, inside the change's transaction, stores the revision and the events of a saved
// change and returns the article as the API shows it. known names the author and tags when the
// caller has them at hand; nil reads them.
func (s *Service) recordChange(ctx context.Context, p authz.Principal, a *article.Article, changed bool, now time.Time, known *articleRefs) (ArticleDetail, error) {
	if changed {
		// The repository numbers the revision as it stores it.
		if _, err := s.articles.AddRevision(ctx, a.Snapshot(0, p.UserID, now)); err != nil {
			return ArticleDetail{}, err
		}
	}
	detail, err := s.writtenDetail(ctx, a, known)
	if err != nil {
		return ArticleDetail{}, err
	}
	if err := s.appendArticleEvents(ctx, a.PullEvents(), detail.ArticleSummary); err != nil {
		return ArticleDetail{}, err
	}
	return detail, nil
}

// writtenDetail is the article just written, as the read model would answer it: the aggregate
// holds every field but the names of its author and tags, which known gives or one read adds.
// Reading the whole article back would read what this transaction has just written.
func (s *Service) writtenDetail(ctx context.Context, a *article.Article, known *articleRefs) (ArticleDetail, error) {
	if known == nil {
		author, tags, err := s.reads.ArticleRefs(ctx, a.AuthorID(), a.TagIDs())
		if err != nil {
			return ArticleDetail{}, fmt.Errorf("name author and tags: %w", err)
		}
		known = &articleRefs{author: author, tags: tags}
	}
	author, tags := known.author, known.tags
	return ArticleDetail{
		ArticleSummary: ArticleSummary{
			ID: a.ID(), Slug: a.Slug(), Title: a.Title(), Excerpt: a.Excerpt(), CoverImageURL: a.CoverImageURL(),
			Status: a.Status(), Tags: tags, Author: author,
			PublishedAt: utcTime(a.PublishedAt()), ScheduledAt: utcTime(a.ScheduledAt()), TrashedAt: utcTime(a.TrashedAt()),
			CreatedAt: a.CreatedAt().UTC(), UpdatedAt: a.UpdatedAt().UTC(), ReadingTimeMinutes: a.ReadingTimeMinutes(),
			Version: a.Version(),
		},
		BodyMarkdown: a.BodyMarkdown(), BodyHTML: a.BodyHTML(), MetaTitle: a.MetaTitle(), MetaDescription: a.MetaDescription(),
	}, nil
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
