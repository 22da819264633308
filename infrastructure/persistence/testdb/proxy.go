package testdb

import (
	"net/url"
	"testing"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/testproxy"
)

// Proxy is a TCP proxy in front of the test PostgreSQL server that a test controls, to play the
// database faults production sees without touching the shared server: Cut refuses and drops every
// connection (a server down or restarting), Restore lets them through again, and DropOnNext drops
// one connection in the middle of a statement.
type Proxy = testproxy.Proxy

// NewProxy starts a proxy on a free loopback port that forwards to target (host:port); it stops
// when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	return testproxy.New(t, target)
}

// ConfigThroughProxy returns settings for a new, empty PostgreSQL database (as Config does) whose
// connections go through a proxy the test controls.
func ConfigThroughProxy(t testing.TB) (config.Database, *Proxy) {
	t.Helper()
	cfg := Config(t, config.DialectPostgres)
	u, err := url.Parse(cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := NewProxy(t, u.Host)
	u.Host = p.Addr()
	cfg.URL = u.String()
	return cfg, p
}
