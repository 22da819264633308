package memstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/tag"
)

// Tags implements tag.Repository on the Tags table. Delete takes the tag off its articles, as the
// article_tags foreign key's cascade does, without touching their versions.
type Tags struct{ db *DB }

var _ tag.Repository = (*Tags)(nil)

func (r *Tags) Get(_ context.Context, id string) (*tag.Tag, error) {
	t, unlock := r.db.lock()
	defer unlock()
	s, ok := t.Tags[id]
	if !ok {
		return nil, tag.ErrNotFound
	}
	return tag.Rehydrate(s), nil
}

func (r *Tags) GetBySlug(ctx context.Context, slug string) (*tag.Tag, error) {
	found, _ := r.GetBySlugs(ctx, []string{slug})
	if len(found) == 0 {
		return nil, tag.ErrNotFound
	}
	return found[0], nil
}

func (r *Tags) GetBySlugs(_ context.Context, slugs []string) ([]*tag.Tag, error) {
	t, unlock := r.db.lock()
	defer unlock()
	var out []*tag.Tag
	for _, s := range t.Tags {
		if slices.Contains(slugs, s.Slug) {
			out = append(out, tag.Rehydrate(s))
		}
	}
	return out, nil
}

func (r *Tags) Add(_ context.Context, tg *tag.Tag) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := tg.State()
	if _, ok := t.Tags[s.ID]; ok {
		return fmt.Errorf("tag %s: %w", s.ID, errConstraint)
	}
	if err := unique(t, s); err != nil {
		return err
	}
	t.Tags[s.ID] = s
	return nil
}

func (r *Tags) Save(_ context.Context, tg *tag.Tag, expected shared.Version) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := tg.State()
	stored, ok := t.Tags[s.ID]
	switch {
	case !ok:
		return tag.ErrNotFound
	case stored.Version != expected:
		return shared.VersionConflict(stored.Version)
	}
	if err := unique(t, s); err != nil {
		return err
	}
	t.Tags[s.ID] = s
	return nil
}

func (r *Tags) Delete(_ context.Context, id string, expected shared.Version) error {
	t, unlock := r.db.lock()
	defer unlock()
	stored, ok := t.Tags[id]
	switch {
	case !ok:
		return tag.ErrNotFound
	case stored.Version != expected:
		return shared.VersionConflict(stored.Version)
	}
	delete(t.Tags, id)
	for aid, a := range t.Articles {
		if slices.Contains(a.TagIDs, id) {
			a.TagIDs = slices.DeleteFunc(slices.Clone(a.TagIDs), func(t string) bool { return t == id })
			t.Articles[aid] = a
		}
	}
	return nil
}

// unique enforces the unique name key (checked first, as the database's index order has it) and slug.
func unique(t *Tables, s tag.State) error {
	for id, o := range t.Tags {
		switch {
		case id == s.ID:
		case tag.NormalizeName(o.Name) == tag.NormalizeName(s.Name):
			return taken(tag.ErrNameTaken, "name", "another tag already has that name")
		case o.Slug == s.Slug:
			return taken(shared.ErrSlugTaken, "slug", "another tag already has that slug")
		}
	}
	return nil
}
