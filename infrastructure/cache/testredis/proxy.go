package testredis

import (
	"net/url"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/inkwell-cms/inkwell/infrastructure/testproxy"
)

// Proxy is a TCP proxy in front of the test Redis that a test can freeze (like kill -STOP of the
// server: connections stay open, bytes sent are held, nothing answers), resume (the held bytes go
// on), or make refuse connections (like a stopped server). It disturbs no other test sharing the
// Redis server, which CLIENT PAUSE would.
type Proxy struct{ p *testproxy.Proxy }

// NewProxy starts a proxy to the test Redis and returns it with the Redis URL that goes through it
// (same database and credentials). It is closed when the test ends.
func NewProxy(t testing.TB) (*Proxy, string) {
	t.Helper()
	raw := URL(t)
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	p := testproxy.New(t, opts.Addr)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	u.Host = p.Addr()
	return &Proxy{p}, u.String()
}

// Freeze stops forwarding: every call waits for an answer that does not come.
func (p *Proxy) Freeze() { p.p.Freeze() }

// Resume forwards again, the bytes held first.
func (p *Proxy) Resume() { p.p.Resume() }

// Refuse drops every connection and stops listening: new connections are refused.
func (p *Proxy) Refuse() { p.p.Cut() }

// Accept listens again on the same address after Refuse.
func (p *Proxy) Accept(t testing.TB) {
	t.Helper()
	p.p.Restore()
}
