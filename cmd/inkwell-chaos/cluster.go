package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for the final read-back
)

const tokenPrefix = "Admin API token (shown once): "

// tools are the programs the harness runs; each is looked up before anything starts, so a missing
// one fails at once with a message naming it (the harness installs nothing).
type tools struct {
	initdb, pgctl, redis, haproxy string
}

func findTools() (tools, error) {
	var t tools
	var missing []string
	pgBin := ""
	if dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin"); len(dirs) > 0 {
		pgBin = dirs[len(dirs)-1] // the newest installed major version
	}
	look := func(name, extraDir, hint string) string {
		if extraDir != "" {
			if p := filepath.Join(extraDir, name); isExecutable(p) {
				return p
			}
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		missing = append(missing, fmt.Sprintf("%s (%s)", name, hint))
		return ""
	}
	t.initdb = look("initdb", pgBin, "PostgreSQL server binaries: apt-get install -y postgresql")
	t.pgctl = look("pg_ctl", pgBin, "PostgreSQL server binaries: apt-get install -y postgresql")
	t.redis = look("redis-server", "", "apt-get install -y redis-server")
	t.haproxy = look("haproxy", "", "apt-get install -y haproxy")
	if len(missing) > 0 {
		return t, fmt.Errorf("missing tools: %s", strings.Join(missing, ", "))
	}
	return t, nil
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// proc is one child process with its log file.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startProc(name, logPath string, cmd *exec.Cmd) (*proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if cmd.Stdout == nil {
		cmd.Stdout = logf
	}
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) signal(sig syscall.Signal) error { return p.cmd.Process.Signal(sig) }

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// stop sends sig and waits up to d, then SIGKILLs.
func (p *proc) stop(sig syscall.Signal, d time.Duration) {
	if p == nil || !p.alive() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGCONT) // a frozen process cannot handle SIGTERM
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(d):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// postgres is the harness's own PostgreSQL cluster in a temporary directory, on its own port: it can
// be restarted without touching the machine's shared server.
type postgres struct {
	tools   tools
	dataDir string
	logPath string
	port    string
	cred    *syscall.Credential // the postgres user when the harness runs as root (initdb refuses root)
}

func newPostgres(ctx context.Context, t tools, dir string) (*postgres, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	pg := &postgres{tools: t, dataDir: filepath.Join(dir, "pgdata"), logPath: filepath.Join(dir, "postgres.log"), port: portOf(addr)}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL must run as the postgres user, which does not exist: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if out, err := pg.run(ctx, t.initdb, "-D", pg.dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	opts := fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", pg.port, dir)
	if out, err := pg.run(ctx, t.pgctl, "-D", pg.dataDir, "-l", pg.logPath, "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	db, err := sql.Open("pgx", pg.url("postgres"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE inkwell"); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	return pg, nil
}

func (pg *postgres) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/%s?sslmode=disable", pg.port, db)
}

func (pg *postgres) run(ctx context.Context, bin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	cmd.Dir = "/"
	return cmd.CombinedOutput()
}

// restart is the fault: a fast shutdown (clients disconnected, a checkpoint) and a start. The log
// must be named again: without -l the new postmaster would inherit (and hold open) our output pipe.
func (pg *postgres) restart(ctx context.Context) error {
	if out, err := pg.run(ctx, pg.tools.pgctl, "-D", pg.dataDir, "-l", pg.logPath, "-m", "fast", "-w", "-t", "60", "restart"); err != nil {
		return fmt.Errorf("pg_ctl restart: %w\n%s", err, out)
	}
	return nil
}

func (pg *postgres) stop() {
	_, _ = pg.run(context.Background(), pg.tools.pgctl, "-D", pg.dataDir, "-m", "immediate", "-w", "-t", "30", "stop")
}

// startRedis runs the harness's own redis-server in the foreground (its pid is the one to freeze).
func startRedis(t tools, dir string) (*proc, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(t.redis, "--port", portOf(addr), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no")
	p, err := startProc("redis", filepath.Join(dir, "redis.log"), cmd)
	if err != nil {
		return nil, "", err
	}
	if err := waitTCP(addr, 10*time.Second); err != nil {
		p.stop(syscall.SIGTERM, 5*time.Second)
		return nil, "", fmt.Errorf("redis-server did not listen on %s: %w", addr, err)
	}
	return p, "redis://" + addr + "/0", nil
}

func waitTCP(addr string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// node is one `inkwell serve`.
type node struct {
	name    string
	addr    string
	env     []string
	binary  string
	logPath string
	proc    *proc
	token   chan string
}

func (n *node) start() error {
	cmd := exec.Command(n.binary, "serve")
	cmd.Env = append(os.Environ(), n.env...)
	cmd.Env = append(cmd.Env, "INKWELL_HTTP_ADDR="+n.addr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	p, err := startProc(n.name, n.logPath, cmd)
	if err != nil {
		return err
	}
	n.proc = p
	n.token = make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if tok, ok := strings.CutPrefix(sc.Text(), tokenPrefix); ok {
				n.token <- tok
			}
		}
	}()
	return nil
}

// waitReady polls the node's own /readyz (not through the load balancer).
func (n *node) waitReady(d time.Duration) error {
	deadline := time.Now().Add(d)
	client := &http.Client{Timeout: time.Second}
	for {
		if !n.proc.alive() {
			return fmt.Errorf("%s exited: %w (see %s)", n.name, n.proc.err, n.logPath)
		}
		res, err := client.Get("http://" + n.addr + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready within %s (see %s)", n.name, d, n.logPath)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// haproxy is the load balancer, run in the foreground from the rendered copy of deploy/haproxy.cfg.
type haproxy struct {
	proc   *proc
	addr   string
	socket string
	cfg    string
}

// renderHAProxy turns the shipped config into the one this run uses: the frontend's bind address,
// one server line per node (copying the options of the shipped file's first server line), and a
// stats socket the harness reads HAProxy's retry counters from. Everything else is used as shipped.
func renderHAProxy(shipped, bind string, nodes []string, socket string) (string, error) {
	var out []string
	var serverOpts string
	sawBind, sawServer, sawGlobal := false, false, false
	for _, line := range strings.Split(shipped, "\n") {
		trimmed := strings.TrimSpace(line)
		fields := strings.Fields(trimmed)
		switch {
		case len(fields) >= 2 && fields[0] == "bind":
			if sawBind {
				return "", errors.New("haproxy.cfg: more than one bind line; the harness renders exactly one")
			}
			sawBind = true
			out = append(out, "    bind "+bind+" "+strings.Join(fields[2:], " "))
		case len(fields) >= 3 && fields[0] == "server":
			if !sawServer {
				sawServer = true
				serverOpts = strings.Join(fields[3:], " ")
				for i, n := range nodes {
					out = append(out, fmt.Sprintf("    server node%d %s %s", i+1, n, serverOpts))
				}
			}
		case trimmed == "global":
			sawGlobal = true
			out = append(out, line, "    stats socket "+socket+" mode 600 level admin")
		default:
			out = append(out, line)
		}
	}
	if !sawBind || !sawServer || !sawGlobal {
		return "", errors.New("haproxy.cfg: needs a global section, one bind line and at least one server line")
	}
	return strings.Join(out, "\n"), nil
}

func startHAProxy(ctx context.Context, t tools, shippedPath, dir string, nodes []string) (*haproxy, error) {
	shipped, err := os.ReadFile(shippedPath)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	h := &haproxy{addr: addr, socket: filepath.Join(dir, "haproxy.sock"), cfg: filepath.Join(dir, "haproxy.cfg")}
	rendered, err := renderHAProxy(string(shipped), addr, nodes, h.socket)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(h.cfg, []byte(rendered), 0o644); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, t.haproxy, "-c", "-f", h.cfg).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("haproxy -c %s: %w\n%s", h.cfg, err, out)
	}
	h.proc, err = startProc("haproxy", filepath.Join(dir, "haproxy.log"), exec.Command(t.haproxy, "-db", "-f", h.cfg))
	if err != nil {
		return nil, err
	}
	if err := waitTCP(addr, 10*time.Second); err != nil {
		return nil, fmt.Errorf("haproxy did not listen on %s: %w (see %s)", addr, err, filepath.Join(dir, "haproxy.log"))
	}
	return h, nil
}

// lbCounters are HAProxy's own counters for the backend.
type lbCounters struct {
	Retries, Redispatches int
}

// counters reads the backend's retry (wretr) and redispatch (wredis) counters from the stats socket.
func (h *haproxy) counters() (lbCounters, error) {
	c, err := net.DialTimeout("unix", h.socket, time.Second)
	if err != nil {
		return lbCounters{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(c, "show stat\n"); err != nil {
		return lbCounters{}, err
	}
	raw, err := io.ReadAll(c)
	if err != nil {
		return lbCounters{}, err
	}
	return parseStats(string(raw))
}

func parseStats(raw string) (lbCounters, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "# ")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		return lbCounters{}, fmt.Errorf("haproxy stats: unreadable: %w", err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows[1:] {
		if len(row) > col["wredis"] && row[col["svname"]] == "BACKEND" && row[col["pxname"]] == "inkwell" {
			retr, _ := strconv.Atoi(row[col["wretr"]])
			redis, _ := strconv.Atoi(row[col["wredis"]])
			return lbCounters{Retries: retr, Redispatches: redis}, nil
		}
	}
	return lbCounters{}, errors.New("haproxy stats: no BACKEND row for backend inkwell")
}

// cleanup runs registered functions in reverse order, once.
type cleanup struct {
	mu  sync.Mutex
	fns []func()
}

func (c *cleanup) add(fn func()) { c.mu.Lock(); c.fns = append(c.fns, fn); c.mu.Unlock() }

func (c *cleanup) run() {
	c.mu.Lock()
	fns := c.fns
	c.fns = nil
	c.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}
