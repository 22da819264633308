package tag

import (
	"context"
	"fmt"

	"github.com/inkwell-cms/inkwell/application"
	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	"github.com/inkwell-cms/inkwell/application/content"
	"github.com/inkwell-cms/inkwell/application/listing"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// Service runs the use cases of tags: the management API (every use case checks the principal's
// policy first and runs its change in one transaction with its event) and the public reads
// (through the cache, no principal needed).
type Service struct {
	tx     application.TxManager
	tags   tag.Repository
	reads  ReadModel
	outbox application.Outbox
	shapes EventShapes
	cache  *cacheaside.Aside
	clock  application.Clock
	ids    application.IDGenerator
}

// NewService returns the tag service.
func NewService(tx application.TxManager, tags tag.Repository, reads ReadModel, outbox application.Outbox,
	shapes EventShapes, cache *cacheaside.Aside, clock application.Clock, ids application.IDGenerator,
) *Service {
	return &Service{tx: tx, tags: tags, reads: reads, outbox: outbox, shapes: shapes, cache: cache, clock: clock, ids: ids}
}

// Create adds a tag (editors and admins), recording tag.created.
func (s *Service) Create(ctx context.Context, cmd CreateTag) (TagView, error) {
	if _, err := mayManage(ctx); err != nil {
		return TagView{}, wrap("create tag", err)
	}
	var view TagView
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		t, err := tag.New(s.ids.NewID(), cmd.Name, cmd.Slug, cmd.Description, now)
		if err != nil {
			return err
		}
		if err := s.tags.Add(ctx, t); err != nil {
			return err
		}
		if view, err = s.reads.Get(ctx, t.ID(), now); err != nil {
			return err
		}
		return s.appendEvents(ctx, t.PullEvents(), view)
	})
	if err != nil {
		return TagView{}, wrap("create tag", err)
	}
	content.InvalidateNewTag(ctx, s.cache)
	return view, nil
}

// List returns one page of tags with their counts of public articles, for the management API.
func (s *Service) List(ctx context.Context, r listing.Request) (listing.Page[TagView], error) {
	if _, err := authz.RequireReader(ctx); err != nil {
		return listing.Page[TagView]{}, wrap("list tags", err)
	}
	page, err := s.page(ctx, r, AdminOrder)
	return page, wrap("list tags", err)
}

// page reads the page of r of the list of order from the read model.
func (s *Service) page(ctx context.Context, r listing.Request, order string) (listing.Page[TagView], error) {
	tags, err := s.reads.List(ctx, ListQuery{Now: s.clock.Now(), Limit: r.Fetch(), After: r.After})
	if err != nil {
		return listing.Page[TagView]{}, err
	}
	return listing.Cut(tags, r, CursorAfter(order)), nil
}

// Get returns one tag by id, for the management API.
func (s *Service) Get(ctx context.Context, id string) (TagView, error) {
	if _, err := authz.RequireReader(ctx); err != nil {
		return TagView{}, wrap("get tag", err)
	}
	t, err := s.reads.Get(ctx, id, s.clock.Now())
	return t, wrap("get tag "+id, err)
}

// Update applies a merge patch to the tag at version expected, recording tag.updated when
// anything changed.
func (s *Service) Update(ctx context.Context, id string, expected shared.Version, u UpdateTag) (TagView, error) {
	if err := preconditions(ctx, expected); err != nil {
		return TagView{}, wrap("update tag", err)
	}
	var (
		view    TagView
		changed bool
	)
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		t, err := s.at(ctx, id, expected)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if changed, err = t.Update(tag.Changes{Name: u.Name, Slug: u.Slug, Description: u.Description}, now); err != nil {
			return err
		}
		if changed {
			if err := s.tags.Save(ctx, t, expected); err != nil {
				return err
			}
		}
		if view, err = s.reads.Get(ctx, id, now); err != nil {
			return err
		}
		return s.appendEvents(ctx, t.PullEvents(), view)
	})
	if err != nil {
		return TagView{}, wrap("update tag "+id, err)
	}
	if changed {
		content.InvalidateTags(ctx, s.cache)
	}
	return view, nil
}

// Delete removes the tag at version expected, and with it its place on every article, recording
// tag.deleted with the tag as it was.
func (s *Service) Delete(ctx context.Context, id string, expected shared.Version) error {
	if err := preconditions(ctx, expected); err != nil {
		return wrap("delete tag", err)
	}
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		t, err := s.at(ctx, id, expected)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		view, err := s.reads.Get(ctx, id, now)
		if err != nil {
			return err
		}
		t.MarkDeleted(now)
		if err := s.tags.Delete(ctx, id, expected); err != nil {
			return err
		}
		return s.appendEvents(ctx, t.PullEvents(), view)
	})
	if err != nil {
		return wrap("delete tag "+id, err)
	}
	content.InvalidateTags(ctx, s.cache)
	return nil
}

// preconditions authorizes a tag change and requires its If-Match version.
func preconditions(ctx context.Context, expected shared.Version) error {
	if _, err := mayManage(ctx); err != nil {
		return err
	}
	if expected == 0 {
		return shared.ErrPreconditionRequired
	}
	return nil
}

// at loads the tag and checks it is still at version expected.
func (s *Service) at(ctx context.Context, id string, expected shared.Version) (*tag.Tag, error) {
	t, err := s.tags.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Version() != expected {
		return nil, shared.VersionConflict(t.Version())
	}
	return t, nil
}

func mayManage(ctx context.Context) (authz.Principal, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return p, err
	}
	if !authz.CanManageTags(p) {
		return p, authz.Deny(p, "manage tags")
	}
	return p, nil
}

// wrap adds the use case to an error on its way up.
func wrap(useCase string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("tag: %s: %w", useCase, err)
}
