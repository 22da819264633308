package article

import (
	"context"
	"fmt"
	"time"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/domain/article"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// Service runs the use cases of articles: the management API (every use case checks the
// principal's policy first and runs its change in one transaction with its revision and events) and
// the public delivery reads (through the cache, no principal needed).
type Service struct {
	tx       application.TxManager
	articles article.Repository
	tags     tag.Repository
	reads    ReadModel
	renderer article.Renderer
	outbox   application.Outbox
	shapes   EventShapes
	cache    *cacheaside.Aside
	clock    application.Clock
	ids      application.IDGenerator
	previews Previews
}

// NewService returns the article service. tags is read to resolve the tag slugs of article writes
// and the tags of revisions; the tags themselves are managed by application/tag.
func NewService(tx application.TxManager, articles article.Repository, tags tag.Repository, reads ReadModel,
	renderer article.Renderer, outbox application.Outbox, shapes EventShapes, cache *cacheaside.Aside,
	clock application.Clock, ids application.IDGenerator, previews Previews,
) *Service {
	return &Service{
		tx: tx, articles: articles, tags: tags, reads: reads, renderer: renderer, outbox: outbox, shapes: shapes,
		cache: cache, clock: clock, ids: ids, previews: previews,
	}
}

// articlePolicy decides whether p may change an article owned by authorID that is in status now.
type articlePolicy func(p authz.Principal, authorID string, status article.Status) bool

func mayEdit(p authz.Principal, authorID string, status article.Status) bool {
	return authz.CanEditArticle(p, authorID, status == article.StatusDraft)
}

func mayPublish(p authz.Principal, authorID string, _ article.Status) bool {
	return authz.CanPublish(p, authorID)
}

// articleChange describes one change of an existing article for Service.change.
type articleChange struct {
	useCase  string
	id       string
	expected shared.Version // the If-Match version; 0 takes the loaded one (no If-Match needed)
	action   string         // what Deny names, e.g. "edit this article"
	policy   articlePolicy
	// apply runs the domain method(s) and reports whether anything changed.
	apply func(ctx context.Context, a *article.Article, now time.Time) (bool, error)
}

// change is the pipeline of every write to an existing article: authorize, then in one transaction
// load, check the version, apply, save with the version, store a revision and append the events;
// after the commit, invalidate the cache. The policy is checked twice: before the transaction with
// the most favourable article (the principal's own draft), so that a role or a read-only token that
// may never do it is refused without touching the database, and against the loaded article.
//
// The transaction holds only reads and writes: anything expensive the change needs (rendering a
// body) is computed before it opens and captured by apply.
func (s *Service) change(ctx context.Context, c articleChange, mustMatch bool) (ArticleDetail, error) {
	if err := s.mayChange(ctx, c.policy, c.action); err != nil {
		return ArticleDetail{}, wrap(c.useCase, err)
	}
	p, _ := authz.Require(ctx)
	if mustMatch && c.expected == 0 {
		return ArticleDetail{}, wrap(c.useCase, shared.ErrPreconditionRequired)
	}
	var (
		detail  ArticleDetail
		oldSlug string
		changed bool
		public  bool // the change can alter what the public API answers
	)
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		a, err := s.articles.Get(ctx, c.id)
		if err != nil {
			return err
		}
		if !c.policy(p, a.AuthorID(), a.Status()) {
			return authz.Deny(p, c.action)
		}
		before := a.Version()
		if c.expected != 0 && c.expected != before {
			return shared.VersionConflict(before)
		}
		oldSlug = a.Slug()
		now := s.clock.Now()
		if changed, err = c.apply(ctx, a, now); err != nil {
			return err
		}
		public = touchesPublic(a.Recorded())
		if changed {
			if err := s.articles.Save(ctx, a, before); err != nil {
				return err
			}
		}
		detail, err = s.recordChange(ctx, p, a, changed, now, nil)
		return err
	})
	if err != nil {
		return ArticleDetail{}, wrap(c.useCase+" "+c.id, err)
	}
	if changed && public {
		s.invalidateArticle(ctx, oldSlug, detail.Slug)
	}
	return detail, nil
}

// mayChange is the check before any work: may the principal do this to their own draft (the most
// favourable article)? A role or a read-only token that may never do it is refused here, before
// rendering or touching the database.
func (s *Service) mayChange(ctx context.Context, policy articlePolicy, action string) error {
	p, err := authz.Require(ctx)
	if err != nil {
		return err
	}
	if !policy(p, p.UserID, article.StatusDraft) {
		return authz.Deny(p, action)
	}
	return nil
}

// Get returns any article, trashed ones included, to a principal who may read the management API.
func (s *Service) Get(ctx context.Context, id string) (ArticleDetail, error) {
	if _, err := authz.RequireReader(ctx); err != nil {
		return ArticleDetail{}, wrap("get article", err)
	}
	d, err := s.reads.GetArticle(ctx, id)
	return d, wrap("get article "+id, err)
}

// List answers the management list: every status, as q's Statuses and Trash select.
func (s *Service) List(ctx context.Context, q ListQuery) (Page, error) {
	if _, err := authz.RequireReader(ctx); err != nil {
		return Page{}, wrap("list articles", err)
	}
	q.Visibility = VisibilityAdmin
	page, err := s.listArticles(ctx, q)
	return page, wrap("list articles", err)
}

// wrap adds the use case to an error on its way up.
func wrap(useCase string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("content: %s: %w", useCase, err)
}
