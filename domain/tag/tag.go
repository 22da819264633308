// Package tag holds the Tag aggregate: a named, slugged label that articles refer to by id.
package tag

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Limits of a tag's fields, in characters (runes).
const (
	MaxNameLength        = 100
	MaxDescriptionLength = 500
)

// Tag is a label for articles. Its slug is unique; its name is unique ignoring case (see NameKey).
type Tag struct {
	shared.Events

	id          string
	slug        string
	name        string
	description string
	version     shared.Version
	createdAt   time.Time
	updatedAt   time.Time
}

// New validates and creates a tag at version 1 and records tag.created. An empty slug is derived
// from the name.
func New(id, name, slug, description string, now time.Time) (*Tag, error) {
	var v shared.Validator
	name = checkName(&v, name)
	description = checkDescription(&v, description)
	slug = shared.ChooseSlug(&v, "slug", slug, name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	t := &Tag{
		id:          id,
		slug:        slug,
		name:        name,
		description: description,
		version:     1,
		createdAt:   now,
		updatedAt:   now,
	}
	t.Record(EventCreated, id, now)
	return t, nil
}

// State is a tag as storage keeps it.
type State struct {
	ID          string
	Slug        string
	Name        string
	Description string
	Version     shared.Version
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Rehydrate rebuilds a stored tag without re-running the creation rules or recording events.
func Rehydrate(s State) *Tag {
	return &Tag{
		id:          s.ID,
		slug:        s.Slug,
		name:        s.Name,
		description: s.Description,
		version:     s.Version,
		createdAt:   s.CreatedAt,
		updatedAt:   s.UpdatedAt,
	}
}

// State is the reverse of Rehydrate: the tag as storage keeps it.
func (t *Tag) State() State {
	return State{
		ID:          t.id,
		Slug:        t.slug,
		Name:        t.name,
		Description: t.description,
		Version:     t.version,
		CreatedAt:   t.createdAt,
		UpdatedAt:   t.updatedAt,
	}
}

// Changes lists the fields an update sets; a nil field is left as it is. Renaming keeps the slug; a
// Slug pointing to "" derives a fresh one from the (new) name.
type Changes struct {
	Name        *string
	Slug        *string
	Description *string
}

// Update applies changes as one change: it validates them all, and when anything differs it bumps
// the version once, touches updated_at and records tag.updated. It reports whether the tag changed.
func (t *Tag) Update(c Changes, now time.Time) (bool, error) {
	var v shared.Validator
	name, slug, description := t.name, t.slug, t.description
	if c.Name != nil {
		name = checkName(&v, *c.Name)
	}
	if c.Description != nil {
		description = checkDescription(&v, *c.Description)
	}
	if c.Slug != nil {
		slug = shared.ChooseSlug(&v, "slug", *c.Slug, name)
	}
	if err := v.Err(); err != nil {
		return false, err
	}
	if name == t.name && slug == t.slug && description == t.description {
		return false, nil
	}
	t.name, t.slug, t.description = name, slug, description
	t.version++
	t.updatedAt = now
	t.Record(EventUpdated, t.id, now)
	return true, nil
}

// MarkDeleted records tag.deleted; the caller then removes the tag through the repository.
func (t *Tag) MarkDeleted(now time.Time) {
	t.Record(EventDeleted, t.id, now)
}

// NormalizeName is the key under which names are unique: trimmed and case-folded, so "Go" and " go "
// collide. Repositories index it and use it to look names up.
func NormalizeName(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}

func (t *Tag) ID() string              { return t.id }
func (t *Tag) Slug() string            { return t.slug }
func (t *Tag) Name() string            { return t.name }
func (t *Tag) NameKey() string         { return NormalizeName(t.name) }
func (t *Tag) Description() string     { return t.description }
func (t *Tag) Version() shared.Version { return t.version }
func (t *Tag) CreatedAt() time.Time    { return t.createdAt }
func (t *Tag) UpdatedAt() time.Time    { return t.updatedAt }

func checkName(v *shared.Validator, name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	v.Check(n >= 1 && n <= MaxNameLength, "name", fmt.Sprintf("must be 1 to %d characters", MaxNameLength))
	v.Check(strings.IndexFunc(name, unicode.IsControl) < 0, "name", "must not contain control characters")
	return name
}

func checkDescription(v *shared.Validator, description string) string {
	description = strings.TrimSpace(description)
	v.Check(utf8.RuneCountInString(description) <= MaxDescriptionLength, "description",
		fmt.Sprintf("must be at most %d characters", MaxDescriptionLength))
	return description
}
