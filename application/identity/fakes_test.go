package identity_test

import (
	"context"
	"crypto/sha256"
	"github.com/inkwell-cms/inkwell/application/apptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/identity"
	"github.com/inkwell-cms/inkwell/domain/shared"
)

// The fakes keep aggregates in maps behind one mutex; they honour the repository contracts that the
// service relies on (unique email and slug, version check, id order) and nothing more.

type memUsers struct {
	mu   sync.Mutex
	byID map[string]*identity.User
}

func (m *memUsers) Add(_ context.Context, u *identity.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.byID {
		if o.Email() == u.Email() {
			return identity.ErrEmailTaken
		}
		if o.Slug() == u.Slug() {
			return identity.ErrSlugTaken
		}
	}
	m.byID[u.ID()] = copyUser(u)
	return nil
}

func (m *memUsers) find(match func(*identity.User) bool) (*identity.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, u := range m.byID {
		if match(u) {
			return copyUser(u), nil
		}
	}
	return nil, identity.ErrUserNotFound
}

func (m *memUsers) Get(_ context.Context, id string) (*identity.User, error) {
	return m.find(func(u *identity.User) bool { return u.ID() == id })
}

func (m *memUsers) GetByEmail(_ context.Context, email string) (*identity.User, error) {
	return m.find(func(u *identity.User) bool { return u.Email() == email })
}

func (m *memUsers) GetBySlug(_ context.Context, slug string) (*identity.User, error) {
	return m.find(func(u *identity.User) bool { return u.Slug() == slug })
}

func (m *memUsers) SlugsLike(_ context.Context, base string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, u := range m.byID {
		if u.Slug() == base || strings.HasPrefix(u.Slug(), base+"-") {
			out = append(out, u.Slug())
		}
	}
	return out, nil
}

func (m *memUsers) Any(context.Context) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byID) > 0, nil
}

func (m *memUsers) List(_ context.Context, p identity.Page) ([]*identity.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*identity.User
	for _, u := range m.byID {
		if u.ID() > p.AfterID {
			out = append(out, copyUser(u))
		}
	}
	slices.SortFunc(out, func(a, b *identity.User) int { return strings.Compare(a.ID(), b.ID()) })
	return out[:min(len(out), p.Limit)], nil
}

func (m *memUsers) Save(_ context.Context, u *identity.User, expected shared.Version) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	stored, ok := m.byID[u.ID()]
	switch {
	case !ok:
		return identity.ErrUserNotFound
	case stored.Version() != expected:
		return shared.VersionConflict(stored.Version())
	}
	m.byID[u.ID()] = copyUser(u)
	return nil
}

// copyUser stores and hands out restored copies, as a database would.
func copyUser(u *identity.User) *identity.User {
	return identity.RestoreUser(identity.UserState{
		ID: u.ID(), Name: u.Name(), Slug: u.Slug(), Email: u.Email(), Role: u.Role(), Bio: u.Bio(),
		AvatarURL: u.AvatarURL(), Disabled: u.Disabled(), Version: u.Version(), CreatedAt: u.CreatedAt(), UpdatedAt: u.UpdatedAt(),
	})
}

type memTokens struct {
	mu      sync.Mutex
	byID    map[string]*identity.APIToken
	touches []time.Time // one per TouchLastUsed call
}

func (m *memTokens) Add(_ context.Context, t *identity.APIToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byID[t.ID()] = t
	return nil
}

func (m *memTokens) Get(_ context.Context, id string) (*identity.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.byID[id]; ok {
		return t, nil
	}
	return nil, identity.ErrTokenNotFound
}

func (m *memTokens) GetByHash(_ context.Context, hash []byte) (*identity.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.byID {
		if string(t.Hash()) == string(hash) {
			return t, nil
		}
	}
	return nil, identity.ErrTokenNotFound
}

func (m *memTokens) List(_ context.Context, f identity.TokenFilter) ([]*identity.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*identity.APIToken
	for _, t := range m.byID {
		if t.ID() > f.AfterID && (f.UserID == "" || t.UserID() == f.UserID) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *identity.APIToken) int { return strings.Compare(a.ID(), b.ID()) })
	return out[:min(len(out), f.Limit)], nil
}

func (m *memTokens) SaveRevocation(context.Context, *identity.APIToken) error { return nil }

func (m *memTokens) TouchLastUsed(_ context.Context, _ string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.touches = append(m.touches, at)
	return nil
}

func (m *memTokens) touchTimes() []time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.touches)
}

// countingSecrets makes distinct, well-formed fake secrets.
type countingSecrets struct{ apptest.IDs }

func (c *countingSecrets) Generate() (identityapp.Secret, error) {
	plain := "ink_" + c.NewID()
	h, _ := c.Hash(plain)
	return identityapp.Secret{Plaintext: plain, Prefix: plain[:8], Hash: h}, nil
}

func (c *countingSecrets) Hash(plain string) ([]byte, bool) {
	if !strings.HasPrefix(plain, "ink_") {
		return nil, false
	}
	h := sha256.Sum256([]byte(plain))
	return h[:], true
}

type directTx struct{}

func (directTx) Do(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }

type noLock struct{}

func (noLock) LockTx(context.Context, string) error { return nil }

type fixture struct {
	svc    *identityapp.Service
	users  *memUsers
	tokens *memTokens
	clock  *apptest.Clock
	close  func()
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{
		users:  &memUsers{byID: map[string]*identity.User{}},
		tokens: &memTokens{byID: map[string]*identity.APIToken{}},
		clock:  apptest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)),
	}
	f.svc, f.close = identityapp.NewService(directTx{}, noLock{}, f.users, f.tokens, &countingSecrets{}, f.clock, &apptest.IDs{}, zap.NewNop())
	t.Cleanup(f.close)
	return f
}
