//go:build reliability

// Package reliability drives the real inkwell binary, on SQLite and PostgreSQL, through the
// failures production sees: racing editors, retried POSTs, SIGKILL mid-write, garbage input and
// SIGTERM under load. Run it with `make reliability`.
package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/persistence/testdb"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// inkwellBinary builds cmd/inkwell once per test run.
func inkwellBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "inkwell-reliability-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "inkwell")
		out, err := exec.Command("go", "build", "-o", binary, "..").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// database is where one test's servers keep their data.
type database struct {
	dialect config.Dialect
	url     string
}

func forEachDatabase(t *testing.T, fn func(t *testing.T, db database)) {
	for _, d := range testdb.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := database{dialect: d}
			if d == config.DialectPostgres {
				db.url = testdb.NewPostgresDatabase(t)
			} else {
				db.url = "sqlite:" + filepath.Join(t.TempDir(), "inkwell.db")
			}
			fn(t, db)
		})
	}
}

// server is one running inkwell process.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	token  string // the first admin's token (only on the first start against a database)
	done   chan error
	stderr *bytes.Buffer
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs `inkwell serve` on db with extra environment and waits until it is ready.
func start(t *testing.T, db database, env ...string) *server {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(inkwellBinary(t), "serve")
	cmd.Env = append(os.Environ(),
		"INKWELL_HTTP_ADDR="+addr,
		"INKWELL_DATABASE_URL="+db.url,
		"INKWELL_LOG_LEVEL=warn",
		"INKWELL_LOG_ACCESS_LOG=false",
		"INKWELL_RATE_LIMIT_PUBLIC_RPS=0",
		"INKWELL_RATE_LIMIT_TOKEN_RPS=0",
		"INKWELL_METRICS_ADDR=", // many servers run side by side; a test that scrapes sets its own
	)
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, base: "http://" + addr, done: make(chan error, 1), stderr: &bytes.Buffer{}}
	cmd.Stderr = &lockedWriter{w: s.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tokenLine := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if tok, ok := strings.CutPrefix(scanner.Text(), "Admin API token (shown once): "); ok {
				tokenLine <- tok
			}
		}
		close(tokenLine)
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-s.done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(s.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become ready: %v\n%s", err, s.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case s.token = <-tokenLine:
	case <-time.After(200 * time.Millisecond): // not a first start: no token line
	}
	return s
}

// logs returns what the server wrote to standard error so far.
func (s *server) logs() string {
	w := s.cmd.Stderr.(*lockedWriter)
	w.mu.Lock()
	defer w.mu.Unlock()
	return s.stderr.String()
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// terminate sends SIGTERM and returns the exit error (nil for a clean exit 0).
func (s *server) terminate() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		return err
	case <-time.After(60 * time.Second):
		s.t.Fatalf("server did not stop within 60 s after SIGTERM")
		return nil
	}
}

// reply is a decoded answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode %d %q: %v", r.status, r.body, err)
	}
	return m
}

// client sends requests with a token; one client per goroutine is not needed (http.Client is safe).
type client struct {
	base  string
	token string
	http  *http.Client
}

func (s *server) client(token string) *client {
	return &client{base: s.base, token: token, http: &http.Client{Timeout: 30 * time.Second}}
}

func (c *client) do(ctx context.Context, method, path string, body any, headers ...string) (reply, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: res.StatusCode, header: res.Header, body: raw}, nil
}

// must sends a request that has to succeed with want.
func (c *client) must(t *testing.T, want int, method, path string, body any, headers ...string) reply {
	t.Helper()
	r, err := c.do(context.Background(), method, path, body, headers...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if r.status != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, r.status, r.body, want)
	}
	return r
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// figures collects the numbers the suite prints at the end (and the README quotes).
var figures struct {
	sync.Mutex
	lines []string
}

func report(format string, args ...any) {
	figures.Lock()
	defer figures.Unlock()
	figures.lines = append(figures.lines, fmt.Sprintf(format, args...))
}

func TestMain(m *testing.M) {
	code := m.Run()
	if len(figures.lines) > 0 {
		fmt.Println("\nreliability figures:")
		for _, l := range figures.lines {
			fmt.Println("  " + l)
		}
	}
	if binary != "" {
		_ = os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}
