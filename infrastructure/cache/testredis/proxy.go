package testredis

import (
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Proxy is a TCP proxy in front of the test Redis that a test can freeze (like kill -STOP of the
// server: connections stay open, bytes sent are held, nothing answers), resume (the held bytes go
// on), or make refuse connections (like a stopped server). It disturbs no other test sharing the
// Redis server, which CLIENT PAUSE would.
type Proxy struct {
	target string
	addr   string

	mu     sync.Mutex
	thawed *sync.Cond
	frozen bool
	closed bool
	ln     net.Listener
	conns  map[net.Conn]struct{}
}

// NewProxy starts a proxy to the test Redis and returns it with the Redis URL that goes through it
// (same database and credentials). It is closed when the test ends.
func NewProxy(t testing.TB) (*Proxy, string) {
	t.Helper()
	raw := URL(t)
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{target: opts.Addr, addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	p.thawed = sync.NewCond(&p.mu)
	p.serve(ln)
	t.Cleanup(p.close)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	u.Host = p.addr
	return p, u.String()
}

// Freeze stops forwarding: every call waits for an answer that does not come.
func (p *Proxy) Freeze() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frozen = true
}

// Resume forwards again, the bytes held first.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frozen = false
	p.thawed.Broadcast()
}

// Refuse drops every connection and stops listening: new connections are refused.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropLocked()
}

// Accept listens again on the same address after Refuse.
func (p *Proxy) Accept(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may linger a moment after the close
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("proxy listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go p.pipe(client)
		}
	}()
}

func (p *Proxy) pipe(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = client.Close()
		_ = server.Close()
		return
	}
	p.conns[client], p.conns[server] = struct{}{}, struct{}{}
	p.mu.Unlock()
	go p.copy(server, client)
	p.copy(client, server)
}

// copy forwards src to dst chunk by chunk, holding each chunk while the proxy is frozen; when either
// side ends, both are closed, as a server going away would.
func (p *Proxy) copy(dst, src net.Conn) {
	defer func() {
		_ = dst.Close()
		_ = src.Close()
		p.mu.Lock()
		delete(p.conns, dst)
		delete(p.conns, src)
		p.mu.Unlock()
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			for p.frozen && !p.closed {
				p.thawed.Wait()
			}
			p.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) dropLocked() {
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

func (p *Proxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.dropLocked()
	p.thawed.Broadcast()
}
