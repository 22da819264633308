package article

import (
	"context"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// CreateTag is the input of Service.CreateTag; an empty Slug is derived from the name.
type CreateTag struct {
	Name, Slug, Description string
}

// UpdateTag is a merge patch of a tag: a nil field is left as it is; a Slug pointing to "" derives
// a fresh one from the name.
type UpdateTag struct {
	Name, Slug, Description *string
}

// CreateTag adds a tag (editors and admins), recording tag.created.
func (s *Service) CreateTag(ctx context.Context, cmd CreateTag) (TagView, error) {
	if _, err := mayManageTags(ctx); err != nil {
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
		if view, err = s.reads.GetTag(ctx, t.ID(), now); err != nil {
			return err
		}
		return s.appendTagEvents(ctx, t.PullEvents(), view)
	})
	if err != nil {
		return TagView{}, wrap("create tag", err)
	}
	// No article names the new tag yet: only the tag list changed.
	s.cache.Invalidate(ctx, []string{nsTags}, nil)
	return view, nil
}

// ListTags returns every tag with its count of public articles, for the management API.
func (s *Service) ListTags(ctx context.Context) ([]TagView, error) {
	if err := mayRead(ctx); err != nil {
		return nil, wrap("list tags", err)
	}
	tags, err := s.reads.ListTags(ctx, s.clock.Now())
	return tags, wrap("list tags", err)
}

// GetTag returns one tag by id, for the management API.
func (s *Service) GetTag(ctx context.Context, id string) (TagView, error) {
	if err := mayRead(ctx); err != nil {
		return TagView{}, wrap("get tag", err)
	}
	t, err := s.reads.GetTag(ctx, id, s.clock.Now())
	return t, wrap("get tag "+id, err)
}

// UpdateTag applies a merge patch to the tag at version expected, recording tag.updated when
// anything changed.
func (s *Service) UpdateTag(ctx context.Context, id string, expected shared.Version, u UpdateTag) (TagView, error) {
	if err := s.tagPreconditions(ctx, expected); err != nil {
		return TagView{}, wrap("update tag", err)
	}
	var (
		view    TagView
		changed bool
	)
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		t, err := s.tagAt(ctx, id, expected)
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
		if view, err = s.reads.GetTag(ctx, id, now); err != nil {
			return err
		}
		return s.appendTagEvents(ctx, t.PullEvents(), view)
	})
	if err != nil {
		return TagView{}, wrap("update tag "+id, err)
	}
	if changed {
		s.invalidateTags(ctx)
	}
	return view, nil
}

// DeleteTag removes the tag at version expected, and with it its place on every article, recording
// tag.deleted with the tag as it was.
func (s *Service) DeleteTag(ctx context.Context, id string, expected shared.Version) error {
	if err := s.tagPreconditions(ctx, expected); err != nil {
		return wrap("delete tag", err)
	}
	err := s.tx.Do(ctx, func(ctx context.Context) error {
		t, err := s.tagAt(ctx, id, expected)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		view, err := s.reads.GetTag(ctx, id, now)
		if err != nil {
			return err
		}
		t.MarkDeleted(now)
		if err := s.tags.Delete(ctx, id, expected); err != nil {
			return err
		}
		return s.appendTagEvents(ctx, t.PullEvents(), view)
	})
	if err != nil {
		return wrap("delete tag "+id, err)
	}
	s.invalidateTags(ctx)
	return nil
}

// tagPreconditions authorizes a tag change and requires its If-Match version.
func (s *Service) tagPreconditions(ctx context.Context, expected shared.Version) error {
	if _, err := mayManageTags(ctx); err != nil {
		return err
	}
	if expected == 0 {
		return shared.ErrPreconditionRequired
	}
	return nil
}

// tagAt loads the tag and checks it is still at version expected.
func (s *Service) tagAt(ctx context.Context, id string, expected shared.Version) (*tag.Tag, error) {
	t, err := s.tags.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.Version() != expected {
		return nil, shared.VersionConflict(t.Version())
	}
	return t, nil
}

func mayManageTags(ctx context.Context) (authz.Principal, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return p, err
	}
	if !authz.CanManageTags(p) {
		return p, authz.Deny(p, "manage tags")
	}
	return p, nil
}
