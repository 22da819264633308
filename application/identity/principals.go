package identity

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/inkwell-cms/inkwell/application/authz"
	"github.com/inkwell-cms/inkwell/application/cacheaside"
)

// PrincipalCache tunes the cache of authenticated principals.
type PrincipalCache struct {
	// TTL is how long a principal is reused at most; 0 turns the cache off.
	TTL time.Duration
}

// principalsNamespace is the cache generation that every change of a token or a user bumps.
const principalsNamespace = "principals"

// maxPrincipals bounds the cache: it holds the tokens used within one TTL, and a node that sees
// more starts over rather than grow.
const maxPrincipals = 10_000

// principals remembers, per token hash, the principal the database answered, so that a busy token
// costs no query per request. An entry is reused only while the generation of principalsNamespace
// in the shared cache is the one read before the database was: a revocation, a role change or a
// disabled user bumps it after its commit (on every node at once, as the cache-aside entries), and
// an entry loaded before the bump is never reused after it. When the shared cache cannot answer,
// nothing is reused. The TTL bounds what the generation cannot see: a bump the cache refused, or a
// change made by a CLI process against a server whose cache is in-process; and an entry never
// outlives its token's expiry.
type principals struct {
	aside *cacheaside.Aside
	ttl   time.Duration
	log   *zap.Logger

	mu sync.Mutex
	m  map[string]cachedPrincipal // key: the token hash
}

type cachedPrincipal struct {
	p     authz.Principal
	stamp string    // the generation the entry was loaded under
	until time.Time // now + TTL, or the token's expiry if sooner
}

func newPrincipals(aside *cacheaside.Aside, opts PrincipalCache, log *zap.Logger) *principals {
	return &principals{aside: aside, ttl: opts.TTL, log: log, m: map[string]cachedPrincipal{}}
}

// stamp reads the current generation; ok is false when principals must not be reused now.
func (c *principals) stamp(ctx context.Context) (string, bool) {
	if c.ttl <= 0 || c.aside == nil {
		return "", false
	}
	return c.aside.Stamp(ctx, principalsNamespace, "")
}

// get returns the principal of hash loaded under stamp, if it is still fresh at now.
func (c *principals) get(hash []byte, stamp string, now time.Time) (authz.Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[string(hash)]
	if !ok || e.stamp != stamp || !now.Before(e.until) {
		return authz.Principal{}, false
	}
	return e.p, true
}

// put remembers p for hash, loaded under stamp, until now + TTL or expires (the token's expiry).
func (c *principals) put(hash []byte, p authz.Principal, stamp string, now time.Time, expires *time.Time) {
	until := now.Add(c.ttl)
	if expires != nil && expires.Before(until) {
		until = *expires
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxPrincipals {
		for k, e := range c.m {
			if !now.Before(e.until) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxPrincipals {
			clear(c.m)
		}
	}
	c.m[string(hash)] = cachedPrincipal{p: p, stamp: stamp, until: until}
}

// forget runs after a token or a user changed and committed: this node drops every entry at once,
// and the generation bump retires the other nodes' entries. A refused bump is logged, not returned:
// the change has happened; the other nodes' entries then expire within the TTL.
func (c *principals) forget(ctx context.Context) {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
	if c.ttl <= 0 || c.aside == nil {
		return
	}
	if err := c.aside.Bump(context.WithoutCancel(ctx), []string{principalsNamespace}); err != nil {
		c.log.Warn("cached principals on other nodes expire within the TTL instead of now", zap.Duration("ttl", c.ttl), zap.Error(err))
	}
}
