package testdb

import (
	"bytes"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// Proxy is a TCP proxy in front of the test PostgreSQL server that a test controls, to play the
// database faults production sees without touching the shared server: Cut refuses and drops every
// connection (a server down or restarting), Restore lets them through again, and DropOnNext drops
// one connection in the middle of a statement.
type Proxy struct {
	t      testing.TB
	target string
	addr   string

	mu      sync.Mutex
	ln      net.Listener // nil while cut
	conns   map[net.Conn]net.Conn
	marker  []byte
	dropped int
}

// NewProxy starts a proxy on a free loopback port that forwards to target (host:port); it stops
// when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: listen: %v", err)
	}
	p := &Proxy{t: t, target: target, addr: ln.Addr().String(), conns: map[net.Conn]net.Conn{}}
	p.serve(ln)
	t.Cleanup(p.Cut)
	return p
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
	u.Host = p.addr
	cfg.URL = u.String()
	return cfg, p
}

// Cut refuses new connections and drops the open ones, as a stopped server does.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.dropAllLocked()
}

// Restore accepts connections again on the same address.
func (p *Proxy) Restore() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return
	}
	var err error
	for range 50 { // the closed socket may take a moment to free its port
		var ln net.Listener
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			p.serve(ln)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
}

// DropConnections drops the open connections and keeps accepting new ones, as a server that
// terminated its backends does.
func (p *Proxy) DropConnections() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropAllLocked()
}

// DropOnNext arms a one-shot fault: the next client message containing marker (a statement's text
// or one of its parameters) reaches the server, and then its connection is dropped before the
// answer comes back.
func (p *Proxy) DropOnNext(marker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.marker = []byte(marker)
}

// Dropped says how many connections DropOnNext dropped.
func (p *Proxy) Dropped() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

func (p *Proxy) serve(ln net.Listener) {
	p.ln = ln
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(client)
		}
	}()
}

func (p *Proxy) forward(client net.Conn) {
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		_ = client.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // cut while dialling
		p.mu.Unlock()
		_ = client.Close()
		_ = server.Close()
		return
	}
	p.conns[client] = server
	p.mu.Unlock()
	var mute atomic.Bool // set when the answers from the server must not reach the client any more
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 && !mute.Load() {
				if _, werr := client.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		p.drop(client)
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			drop := p.shouldDrop(buf[:n])
			mute.Store(drop)
			if _, werr := server.Write(buf[:n]); werr != nil {
				break
			}
			if drop {
				time.Sleep(20 * time.Millisecond) // the server has the statement: it runs, its answer is lost
				break
			}
		}
		if err != nil { // the client left, or the proxy dropped the connection
			break
		}
	}
	p.drop(client)
}

func (p *Proxy) shouldDrop(msg []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.marker) == 0 || !bytes.Contains(msg, p.marker) {
		return false
	}
	p.marker = nil
	p.dropped++
	return true
}

func (p *Proxy) drop(client net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if server, ok := p.conns[client]; ok {
		delete(p.conns, client)
		_ = client.Close()
		_ = server.Close()
	}
}

func (p *Proxy) dropAllLocked() {
	for client, server := range p.conns {
		_ = client.Close()
		_ = server.Close()
	}
	clear(p.conns)
}
