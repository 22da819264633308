package testredis

import (
	"net/url"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/testproxy"
)

// Stall is a TCP proxy in front of the test Redis that a test freezes, as a stopped Redis or a
// network partition freezes it for one client: while frozen it accepts connections and forwards
// nothing, so every call waits for its timeout; Thaw resets the connections that lived through the
// freeze (what they sent is lost, never executed) and forwards again. Only the test's own clients
// are frozen: CLIENT PAUSE would freeze every test sharing the server.
type Stall struct{ p *testproxy.Proxy }

// NewStall starts a proxy to the test Redis (skipping like URL when there is none); it stops when
// the test ends.
func NewStall(t testing.TB) *Stall {
	t.Helper()
	u, err := url.Parse(URL(t))
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	return &Stall{testproxy.New(t, u.Host)}
}

// URL is the test Redis URL through the proxy, with query (go-redis options such as
// read_timeout=100ms) added.
func (s *Stall) URL(t testing.TB, query url.Values) string {
	t.Helper()
	u, err := url.Parse(URL(t))
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	u.Host = s.p.Addr()
	q := u.Query()
	for k, vs := range query {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Freeze stops forwarding.
func (s *Stall) Freeze() { s.p.Freeze() }

// Thaw resets every connection opened before it and forwards again.
func (s *Stall) Thaw() { s.p.Thaw() }
