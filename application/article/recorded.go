package article

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/article"
)

// articleRefs names an article's author and tags, as the API shows them.
type articleRefs struct {
	author  AuthorRef
	tags    []TagRef
	pending []TagRef // the tags of the pending changes that are not live tags
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
	// The pending changes' tags are named in the same read as the live ones.
	pending := pendingTagIDs(a)
	if known == nil || len(pending) > 0 {
		refs, err := s.nameRefs(ctx, a, pending)
		if err != nil {
			return ArticleDetail{}, err
		}
		known = refs
	}
	author, tags := known.author, known.tags
	byID := make(map[string]TagRef, len(tags)+len(known.pending))
	for _, t := range append(slices.Clone(tags), known.pending...) {
		byID[t.ID] = t
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

// nameRefs reads the names of a's author, live tags and the pending changes' tags in one read.
func (s *Service) nameRefs(ctx context.Context, a *article.Article, pending []string) (*articleRefs, error) {
	live := a.TagIDs()
	author, refs, err := s.reads.ArticleRefs(ctx, a.AuthorID(), append(slices.Clone(live), pending...))
	if err != nil {
		return nil, fmt.Errorf("name author and tags: %w", err)
	}
	byID := make(map[string]TagRef, len(refs))
	for _, t := range refs {
		byID[t.ID] = t
	}
	named := &articleRefs{author: author, tags: make([]TagRef, 0, len(live))}
	for _, id := range live {
		if t, ok := byID[id]; ok {
			named.tags = append(named.tags, t)
			delete(byID, id)
		}
	}
	for _, t := range byID {
		named.pending = append(named.pending, t)
	}
	return named, nil
}

func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
