package memstore

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// Users implements identity.UserRepository on the Users table.
type Users struct{ db *DB }

var _ identity.UserRepository = (*Users)(nil)

func (r *Users) Add(_ context.Context, u *identity.User) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := u.State()
	if _, ok := t.Users[s.ID]; ok {
		return fmt.Errorf("user %s: %w", s.ID, errConstraint)
	}
	for _, o := range t.Users {
		switch {
		case o.Email == s.Email:
			return identity.ErrEmailTaken
		case o.Slug == s.Slug:
			return identity.ErrSlugTaken
		}
	}
	t.Users[s.ID] = s
	return nil
}

func (r *Users) find(match func(identity.UserState) bool) (*identity.User, error) {
	t, unlock := r.db.lock()
	defer unlock()
	for _, s := range t.Users {
		if match(s) {
			return identity.RestoreUser(s), nil
		}
	}
	return nil, identity.ErrUserNotFound
}

func (r *Users) Get(_ context.Context, id string) (*identity.User, error) {
	return r.find(func(s identity.UserState) bool { return s.ID == id })
}

func (r *Users) GetByEmail(_ context.Context, email string) (*identity.User, error) {
	return r.find(func(s identity.UserState) bool { return s.Email == email })
}

func (r *Users) GetBySlug(_ context.Context, slug string) (*identity.User, error) {
	return r.find(func(s identity.UserState) bool { return s.Slug == slug })
}

func (r *Users) SlugsLike(_ context.Context, base string) ([]string, error) {
	t, unlock := r.db.lock()
	defer unlock()
	var out []string
	for _, s := range t.Users {
		if s.Slug == base || strings.HasPrefix(s.Slug, base+"-") {
			out = append(out, s.Slug)
		}
	}
	return out, nil
}

func (r *Users) Any(context.Context) (bool, error) {
	t, unlock := r.db.lock()
	defer unlock()
	return len(t.Users) > 0, nil
}

func (r *Users) List(_ context.Context, p identity.Page) ([]*identity.User, error) {
	if p.AfterID != "" && !wellFormedID(p.AfterID) {
		return nil, nil // nothing comes after an id no row can have
	}
	t, unlock := r.db.lock()
	defer unlock()
	var page []identity.UserState
	for _, s := range t.Users {
		if s.ID > p.AfterID {
			page = append(page, s)
		}
	}
	slices.SortFunc(page, func(a, b identity.UserState) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]*identity.User, 0, min(len(page), p.Limit))
	for _, s := range page[:min(len(page), p.Limit)] {
		out = append(out, identity.RestoreUser(s))
	}
	return out, nil
}

func (r *Users) Save(_ context.Context, u *identity.User, expected shared.Version) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := u.State()
	stored, ok := t.Users[s.ID]
	switch {
	case !ok:
		return identity.ErrUserNotFound
	case stored.Version != expected:
		return shared.VersionConflict(stored.Version)
	}
	// The slug and email never change after creation: the database's UPDATE leaves them out.
	s.Slug, s.Email, s.CreatedAt = stored.Slug, stored.Email, stored.CreatedAt
	t.Users[s.ID] = s
	return nil
}

// Tokens implements identity.TokenRepository on the Tokens table; a token's user must exist.
type Tokens struct{ db *DB }

var _ identity.TokenRepository = (*Tokens)(nil)

func (r *Tokens) Add(_ context.Context, tok *identity.APIToken) error {
	t, unlock := r.db.lock()
	defer unlock()
	s := tok.State()
	if _, ok := t.Users[s.UserID]; !ok {
		return fmt.Errorf("token %s of unknown user %s: %w", s.ID, s.UserID, errConstraint)
	}
	for id, o := range t.Tokens {
		if id == s.ID || bytes.Equal(o.Hash, s.Hash) {
			return fmt.Errorf("token %s: %w", s.ID, errConstraint)
		}
	}
	t.Tokens[s.ID] = s
	return nil
}

func (r *Tokens) find(match func(identity.TokenState) bool) (*identity.APIToken, error) {
	t, unlock := r.db.lock()
	defer unlock()
	for _, s := range t.Tokens {
		if match(s) {
			return identity.RestoreAPIToken(s), nil
		}
	}
	return nil, identity.ErrTokenNotFound
}

func (r *Tokens) Get(_ context.Context, id string) (*identity.APIToken, error) {
	return r.find(func(s identity.TokenState) bool { return s.ID == id })
}

func (r *Tokens) GetByHash(_ context.Context, hash []byte) (*identity.APIToken, error) {
	return r.find(func(s identity.TokenState) bool { return bytes.Equal(s.Hash, hash) })
}

// GetCredential is identityapp.Credentials: the token with hash and its user.
func (r *Tokens) GetCredential(_ context.Context, hash []byte) (*identity.APIToken, *identity.User, error) {
	t, unlock := r.db.lock()
	defer unlock()
	for _, s := range t.Tokens {
		if bytes.Equal(s.Hash, hash) {
			u, ok := t.Users[s.UserID]
			if !ok {
				return nil, nil, identity.ErrTokenNotFound
			}
			return identity.RestoreAPIToken(s), identity.RestoreUser(u), nil
		}
	}
	return nil, nil, identity.ErrTokenNotFound
}

func (r *Tokens) List(_ context.Context, f identity.TokenFilter) ([]*identity.APIToken, error) {
	if f.AfterID != "" && !wellFormedID(f.AfterID) {
		return nil, nil // nothing comes after an id no row can have
	}
	t, unlock := r.db.lock()
	defer unlock()
	var page []identity.TokenState
	for _, s := range t.Tokens {
		if s.ID > f.AfterID && (f.UserID == "" || s.UserID == f.UserID) {
			page = append(page, s)
		}
	}
	slices.SortFunc(page, func(a, b identity.TokenState) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]*identity.APIToken, 0, min(len(page), f.Limit))
	for _, s := range page[:min(len(page), f.Limit)] {
		out = append(out, identity.RestoreAPIToken(s))
	}
	return out, nil
}

// CountActive counts the user's tokens that are neither revoked nor expired at now.
func (r *Tokens) CountActive(_ context.Context, userID string, now time.Time) (int, error) {
	t, unlock := r.db.lock()
	defer unlock()
	n := 0
	for _, s := range t.Tokens {
		if s.UserID == userID && identity.RestoreAPIToken(s).Usable(now) {
			n++
		}
	}
	return n, nil
}

// SaveRevocation stores the revocation time once: a revoked token keeps its first one.
func (r *Tokens) SaveRevocation(_ context.Context, tok *identity.APIToken) error {
	t, unlock := r.db.lock()
	defer unlock()
	if s, ok := t.Tokens[tok.ID()]; ok && s.RevokedAt == nil {
		s.RevokedAt = tok.RevokedAt()
		t.Tokens[s.ID] = s
	}
	return nil
}

// TouchLastUsed moves last_used_at forward to at, never backwards.
func (r *Tokens) TouchLastUsed(_ context.Context, id string, at time.Time) error {
	t, unlock := r.db.lock()
	defer unlock()
	if s, ok := t.Tokens[id]; ok && (s.LastUsedAt == nil || s.LastUsedAt.Before(at)) {
		s.LastUsedAt = &at
		t.Tokens[id] = s
	}
	return nil
}

// wellFormedID is the check the GORM repositories make before a cursor reaches the database.
func wellFormedID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
