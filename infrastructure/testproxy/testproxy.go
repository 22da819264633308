// Package testproxy is a TCP proxy for tests that play network and server faults against a shared
// server (PostgreSQL, Redis) without disturbing the other tests using it: freeze the traffic (a
// stopped server or a partition: connections stay open, nothing answers), cut it (a server down:
// new connections refused, open ones dropped), drop the open connections, or drop the one
// connection carrying a marker just after the server got it.
package testproxy

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy forwards connections from a loopback port to a target; it is safe for concurrent use.
type Proxy struct {
	t      testing.TB
	target string
	addr   string

	mu      sync.Mutex
	thawed  *sync.Cond
	frozen  bool
	closed  bool
	ln      net.Listener          // nil while cut
	conns   map[net.Conn]net.Conn // client → server
	marker  []byte
	dropped int
}

// New starts a proxy on a free loopback port that forwards to target (host:port); it stops when
// the test ends.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: listen: %v", err)
	}
	p := &Proxy{t: t, target: target, addr: ln.Addr().String(), conns: map[net.Conn]net.Conn{}}
	p.thawed = sync.NewCond(&p.mu)
	p.serve(ln)
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's address (host:port); it stays the same across Cut and Restore.
func (p *Proxy) Addr() string { return p.addr }

// Freeze stops forwarding, new connections included: every call waits for an answer that does not
// come, and the bytes sent are held.
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

// Thaw drops the connections that lived through the freeze (what they sent is lost, never
// forwarded) and forwards again.
func (p *Proxy) Thaw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.frozen = false
	p.dropAllLocked()
	p.thawed.Broadcast()
}

// Cut refuses new connections and drops the open ones, as a stopped server does.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

// Restore accepts connections again on the same address after Cut.
func (p *Proxy) Restore() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil || p.closed {
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

// serve accepts on ln; p.mu is held.
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
	if p.ln == nil || p.closed { // cut while dialling
		p.mu.Unlock()
		_ = client.Close()
		_ = server.Close()
		return
	}
	p.conns[client] = server
	p.mu.Unlock()
	var mute atomic.Bool // set when the answers from the server must not reach the client any more
	go func() {
		defer p.drop(client)
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 {
				p.waitThawed()
				if !mute.Load() {
					if _, werr := client.Write(buf[:n]); werr != nil {
						return
					}
				}
			}
			if err != nil {
				return
			}
		}
	}()
	defer p.drop(client)
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			p.waitThawed()
			drop := p.shouldDrop(buf[:n])
			mute.Store(drop)
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
			if drop {
				time.Sleep(20 * time.Millisecond) // the server has the statement: it runs, its answer is lost
				return
			}
		}
		if err != nil { // the client left, or the proxy dropped the connection
			return
		}
	}
}

// waitThawed holds the caller while the proxy is frozen.
func (p *Proxy) waitThawed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.frozen && !p.closed {
		p.thawed.Wait()
	}
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

func (p *Proxy) cutLocked() {
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.dropAllLocked()
}

func (p *Proxy) dropAllLocked() {
	for client, server := range p.conns {
		_ = client.Close()
		_ = server.Close()
	}
	clear(p.conns)
}

func (p *Proxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.cutLocked()
	p.thawed.Broadcast()
}
