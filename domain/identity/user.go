package identity

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Limits of a user's profile fields.
const (
	MaxNameLength      = 100
	MaxBioLength       = 1000
	MaxAvatarURLLength = 2000
)

// User is a person who works in Inkwell through API tokens. The slug is the public author URL: it is
// derived from the name once and kept when the name changes, so links to the author keep working.
type User struct {
	id        string
	name      string
	slug      string
	email     string
	role      Role
	bio       string
	avatarURL string
	disabled  bool
	version   shared.Version
	changed   bool // a method changed the user since it was created or restored
	createdAt time.Time
	updatedAt time.Time
}

// NewUserParams are the inputs of a new user. Slug must already be unique (the application service
// picks a free one starting from SlugFromName).
type NewUserParams struct {
	ID        string
	Name      string
	Slug      string
	Email     string
	Role      Role
	Bio       string
	AvatarURL string
	Now       time.Time
}

// NewUser validates the inputs and returns a new, enabled user at version 1. Every broken rule is
// reported at once as a field error.
func NewUser(p NewUserParams) (*User, error) {
	var v shared.Validator
	name := checkName(&v, p.Name)
	email := checkEmail(&v, p.Email)
	v.Check(isRole(p.Role), "role", ErrUnknownRole.Fields[0].Message)
	bio := checkBio(&v, p.Bio)
	avatar := checkAvatarURL(&v, p.AvatarURL)
	v.Check(p.Slug != "" && len(p.Slug) <= maxSlugLength && SlugFromName(p.Slug) == p.Slug, "slug", "must be lower-case letters and digits joined by hyphens")
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &User{
		id: p.ID, name: name, slug: p.Slug, email: email, role: p.Role, bio: bio, avatarURL: avatar,
		version: 1, createdAt: p.Now, updatedAt: p.Now,
	}, nil
}

// UserState is a stored user, for RestoreUser.
type UserState struct {
	ID, Name, Slug, Email string
	Role                  Role
	Bio, AvatarURL        string
	Disabled              bool
	Version               shared.Version
	CreatedAt, UpdatedAt  time.Time
}

// RestoreUser rebuilds a user from storage without re-running the creation rules (they held when it
// was saved, and old rows must stay readable if a rule tightens).
func RestoreUser(s UserState) *User {
	return &User{
		id: s.ID, name: s.Name, slug: s.Slug, email: s.Email, role: s.Role, bio: s.Bio,
		avatarURL: s.AvatarURL, disabled: s.Disabled, version: s.Version,
		createdAt: s.CreatedAt, updatedAt: s.UpdatedAt,
	}
}

// State is the reverse of RestoreUser: the user as storage keeps it.
func (u *User) State() UserState {
	return UserState{
		ID: u.id, Name: u.name, Slug: u.slug, Email: u.email, Role: u.role, Bio: u.bio,
		AvatarURL: u.avatarURL, Disabled: u.disabled, Version: u.version,
		CreatedAt: u.createdAt, UpdatedAt: u.updatedAt,
	}
}

func (u *User) ID() string              { return u.id }
func (u *User) Name() string            { return u.name }
func (u *User) Slug() string            { return u.slug }
func (u *User) Email() string           { return u.email }
func (u *User) Role() Role              { return u.role }
func (u *User) Bio() string             { return u.bio }
func (u *User) AvatarURL() string       { return u.avatarURL }
func (u *User) Disabled() bool          { return u.disabled }
func (u *User) Version() shared.Version { return u.version }
func (u *User) CreatedAt() time.Time    { return u.createdAt }
func (u *User) UpdatedAt() time.Time    { return u.updatedAt }
func (u *User) Changed() bool           { return u.changed }

// Rename changes the display name (the slug stays, see User).
func (u *User) Rename(name string, now time.Time) error {
	var v shared.Validator
	name = checkName(&v, name)
	if err := v.Err(); err != nil {
		return err
	}
	if name != u.name {
		u.name = name
		u.touch(now)
	}
	return nil
}

// ChangeRole gives the user another role.
func (u *User) ChangeRole(role Role, now time.Time) error {
	if !isRole(role) {
		return ErrUnknownRole
	}
	if role != u.role {
		u.role = role
		u.touch(now)
	}
	return nil
}

// ChangeBio replaces the public biography ("" clears it).
func (u *User) ChangeBio(bio string, now time.Time) error {
	var v shared.Validator
	bio = checkBio(&v, bio)
	if err := v.Err(); err != nil {
		return err
	}
	if bio != u.bio {
		u.bio = bio
		u.touch(now)
	}
	return nil
}

// ChangeAvatarURL replaces the avatar picture's URL ("" clears it).
func (u *User) ChangeAvatarURL(raw string, now time.Time) error {
	var v shared.Validator
	avatar := checkAvatarURL(&v, raw)
	if err := v.Err(); err != nil {
		return err
	}
	if avatar != u.avatarURL {
		u.avatarURL = avatar
		u.touch(now)
	}
	return nil
}

// Disable stops every token of the user from working; the user and their content stay.
func (u *User) Disable(now time.Time) {
	if !u.disabled {
		u.disabled = true
		u.touch(now)
	}
}

// Enable lets the user's unrevoked, unexpired tokens work again.
func (u *User) Enable(now time.Time) {
	if u.disabled {
		u.disabled = false
		u.touch(now)
	}
}

// touch records a change: the version moves on once per load, however many methods ran, so one
// request is one version and Save can compare against the version that was read.
func (u *User) touch(now time.Time) {
	if !u.changed {
		u.version++
		u.changed = true
	}
	u.updatedAt = now
}

// NormalizeEmail is the form emails are stored and compared in: trimmed and lower-case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func checkName(v *shared.Validator, name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	v.Check(n >= 1 && n <= MaxNameLength, "name", "must be 1 to 100 characters")
	return name
}

// checkEmail accepts a bare address (no display name): net/mail parses it, and it must come back
// unchanged so "Ann <ann@example.com>" or comments are rejected rather than silently trimmed.
func checkEmail(v *shared.Validator, email string) string {
	email = NormalizeEmail(email)
	addr, err := mail.ParseAddress(email)
	ok := err == nil && addr.Address == email && len(email) <= 254 && strings.Contains(email, "@")
	v.Check(ok, "email", "must be an email address such as ann@example.com")
	return email
}

func checkBio(v *shared.Validator, bio string) string {
	bio = strings.TrimSpace(bio)
	v.Check(utf8.RuneCountInString(bio) <= MaxBioLength, "bio", "must be at most 1000 characters")
	return bio
}

func checkAvatarURL(v *shared.Validator, raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	ok := err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil && len(raw) <= MaxAvatarURLLength
	v.Check(ok, "avatar_url", "must be an absolute http or https URL, or empty")
	return raw
}

func isRole(r Role) bool {
	_, err := ParseRole(string(r))
	return err == nil
}
