package identity_test

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/apptest"
	"github.com/inkwell-cms/inkwell/application/apptest/memstore"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/domain/identity"
)

// touchRecorder is the memstore token repository that also records every TouchLastUsed call, so a
// test can count the writes the usage writer makes.
type touchRecorder struct {
	*memstore.Tokens
	mu      sync.Mutex
	touches []time.Time
}

func (r *touchRecorder) TouchLastUsed(ctx context.Context, id string, at time.Time) error {
	r.mu.Lock()
	r.touches = append(r.touches, at)
	r.mu.Unlock()
	return r.Tokens.TouchLastUsed(ctx, id, at)
}

func (r *touchRecorder) touchTimes() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.touches)
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

type noLock struct{}

func (noLock) LockTx(context.Context, string) error { return nil }

// publishedAuthors is the PublishedAuthors port as a set of user ids with published work.
type publishedAuthors struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (p *publishedAuthors) HasPublished(_ context.Context, id string, _ time.Time) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ids[id], nil
}

func (p *publishedAuthors) set(id string, published bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ids[id] = published
}

type fixture struct {
	svc       *identityapp.Service
	users     *memstore.Users
	tokens    *touchRecorder
	clock     *apptest.Clock
	published *publishedAuthors
	creds     *countingCredentials
	close     func()
}

// countingCredentials is the memstore's Credentials counting its lookups: the database reads of
// authentication.
type countingCredentials struct {
	*memstore.Tokens
	lookups atomic.Int64
}

func (c *countingCredentials) GetCredential(ctx context.Context, hash []byte) (*identity.APIToken, *identity.User, error) {
	c.lookups.Add(1)
	return c.Tokens.GetCredential(ctx, hash)
}

// maxTokens is the fixture's cap of active tokens per user.
const maxTokens = 3

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newNode(t, memstore.New(), nil, 0)
}

// newNode is a fixture on db whose service reuses principals for ttl under the generations of
// aside (nil: never); two nodes on one db and one aside are two servers sharing a database and a
// cache.
func newNode(t *testing.T, db *memstore.DB, aside *cacheaside.Aside, ttl time.Duration) *fixture {
	t.Helper()
	f := &fixture{
		users:     db.Users(),
		tokens:    &touchRecorder{Tokens: db.Tokens()},
		clock:     apptest.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)),
		published: &publishedAuthors{ids: map[string]bool{}},
	}
	f.creds = &countingCredentials{Tokens: db.Tokens()}
	f.svc, f.close = identityapp.NewService(db, noLock{}, f.users, f.tokens, f.creds, &countingSecrets{}, f.clock, &apptest.IDs{},
		f.published, identityapp.Limits{MaxActiveTokens: maxTokens}, aside, identityapp.PrincipalCache{TTL: ttl}, zap.NewNop())
	t.Cleanup(f.close)
	return f
}
