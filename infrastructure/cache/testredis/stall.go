package testredis

import (
	"net"
	"net/url"
	"sync"
	"testing"
)

// Stall is a TCP proxy in front of the test Redis that a test freezes, as a stopped Redis or a
// network partition freezes it for one client: while frozen it accepts connections and forwards
// nothing, so every call waits for its timeout; Thaw resets the connections that lived through the
// freeze (what they sent is lost, never executed) and forwards again. Only the test's own clients
// are frozen: CLIENT PAUSE would freeze every test sharing the server.
type Stall struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	cond   *sync.Cond
	frozen bool
	conns  map[net.Conn]struct{}
	closed bool
}

// NewStall starts a proxy to the test Redis (skipping like URL when there is none); it stops when
// the test ends.
func NewStall(t testing.TB) *Stall {
	t.Helper()
	u, err := url.Parse(URL(t))
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Stall{ln: ln, target: u.Host, conns: map[net.Conn]struct{}{}}
	s.cond = sync.NewCond(&s.mu)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

// URL is the test Redis URL through the proxy, with query (go-redis options such as
// read_timeout=100ms) added.
func (s *Stall) URL(t testing.TB, query url.Values) string {
	t.Helper()
	u, err := url.Parse(URL(t))
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	u.Host = s.ln.Addr().String()
	q := u.Query()
	for k, vs := range query {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Freeze stops forwarding.
func (s *Stall) Freeze() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frozen = true
}

// Thaw resets every connection opened before it and forwards again.
func (s *Stall) Thaw() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frozen = false
	for c := range s.conns {
		_ = c.Close()
	}
	clear(s.conns)
	s.cond.Broadcast()
}

func (s *Stall) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	_ = s.ln.Close()
	s.Thaw()
}

func (s *Stall) accept() {
	for {
		client, err := s.ln.Accept()
		if err != nil {
			return
		}
		upstream, err := net.Dial("tcp", s.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = client.Close()
			_ = upstream.Close()
			return
		}
		s.conns[client], s.conns[upstream] = struct{}{}, struct{}{}
		s.mu.Unlock()
		go s.pipe(upstream, client)
		go s.pipe(client, upstream)
	}
}

// pipe copies src to dst, holding what it read while frozen; a Thaw closes both ends, so what was
// held is dropped.
func (s *Stall) pipe(dst, src net.Conn) {
	defer func() { _ = dst.Close(); _ = src.Close() }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			s.mu.Lock()
			for s.frozen {
				s.cond.Wait()
			}
			s.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
