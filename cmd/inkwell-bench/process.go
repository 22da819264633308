package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

const (
	inkwellBin = "bin/inkwell"
	ceilingBin = "bin/inkwell-ceiling"
	tokenLine  = "Admin API token (shown once): "
)

// build compiles Inkwell (static, as released) and the ceiling server into bin/.
func build(ctx context.Context) error {
	version := "bench"
	if out, err := exec.CommandContext(ctx, "git", "describe", "--tags", "--always", "--dirty").Output(); err == nil {
		version = strings.TrimSpace(string(out))
	}
	for _, b := range []struct{ out, pkg, ldflags string }{
		{inkwellBin, "./cmd/inkwell", "-s -w -X main.buildVersion=" + version},
		{ceilingBin, "./cmd/inkwell-ceiling", "-s -w"},
	} {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", b.ldflags, "-o", b.out, b.pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b.pkg, err)
		}
	}
	return nil
}

// inkwellEnv is the environment of every inkwell process: production settings on the bench database.
func inkwellEnv(dbURL string, extra ...string) []string {
	env := append(os.Environ(),
		"INKWELL_DATABASE_URL="+dbURL,
		"INKWELL_LOG_FORMAT=json",
		"INKWELL_LOG_LEVEL=info",
		"INKWELL_LOG_ACCESS_LOG=true",
		"INKWELL_RATE_LIMIT_PUBLIC_RPS=0",
		"INKWELL_RATE_LIMIT_TOKEN_RPS=0",
		"INKWELL_WEBHOOK_ALLOW_PRIVATE_TARGETS=true",
		"INKWELL_REDIS_URL=",
		"INKWELL_DEBUG_PPROF_ADDR=",
		"INKWELL_METRICS_ADDR=",
	)
	return append(env, extra...)
}

// cli runs an inkwell sub-command and returns its standard output; its log goes to logw.
func cli(ctx context.Context, env []string, logw io.Writer, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, inkwellBin, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, logw), logw
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("inkwell %s: %w (see %s)", strings.Join(args, " "), err, logName(logw))
	}
	return out.String(), nil
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func logName(w io.Writer) string {
	if f, ok := w.(*os.File); ok {
		return f.Name()
	}
	return "the log"
}

// process is a server the bench started.
type process struct {
	name    string
	cmd     *exec.Cmd
	baseURL string
	exited  chan struct{}
	waitErr error
	lines   chan string // standard output, line by line
}

// freeAddr returns a loopback address with a port nobody listens on right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start runs a server binary with its standard output read line by line (and copied to logw with
// its standard error).
func start(name, bin string, args, env []string, addr string, logw io.Writer) (*process, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stderr = logw
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, baseURL: "http://" + addr, exited: make(chan struct{}), lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, tokenLine) {
				fmt.Fprintln(logw, line) // the token stays out of the log file
			}
			select {
			case p.lines <- line:
			default:
			}
		}
		close(p.lines)
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// waitReady polls url until it answers 200, the process exits or the timeout passes.
func (p *process) waitReady(ctx context.Context, path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.baseURL+path, nil)
		if err != nil {
			return err
		}
		if res, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.exited:
			if p.waitErr == nil {
				return fmt.Errorf("%s exited before it was ready", p.name)
			}
			return fmt.Errorf("%s exited before it was ready: %w", p.name, p.waitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready at %s%s after %s", p.name, p.baseURL, path, timeout)
		}
	}
}

// stop sends SIGTERM and waits for the exit (SIGKILL after the grace time).
func (p *process) stop(grace time.Duration) error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-p.exited:
		var exit *exec.ExitError
		if p.waitErr != nil && !errors.As(p.waitErr, &exit) {
			return p.waitErr
		}
		return nil
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not stop within %s after SIGTERM; killed", p.name, grace)
	}
}

// startInkwell runs `inkwell serve` on a free port and waits until it is ready. On a database
// without users serve prints the first admin's token; that is returned (empty otherwise).
func startInkwell(ctx context.Context, dbURL string, logw io.Writer, extraEnv ...string) (*process, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	env := inkwellEnv(dbURL, append([]string{"INKWELL_HTTP_ADDR=" + addr}, extraEnv...)...)
	p, err := start("inkwell serve", inkwellBin, []string{"serve"}, env, addr, logw)
	if err != nil {
		return nil, "", err
	}
	if err := p.waitReady(ctx, "/readyz", 2*time.Minute); err != nil {
		_ = p.stop(5 * time.Second)
		return nil, "", fmt.Errorf("%w (see %s)", err, logName(logw))
	}
	// serve prints the token before it listens, so it is in the pipe by now.
	var token string
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				return p, token, nil
			}
			if t, found := strings.CutPrefix(line, tokenLine); found {
				token = strings.TrimSpace(t)
			}
		case <-time.After(200 * time.Millisecond):
			return p, token, nil
		}
	}
}

// startCeiling runs the ceiling server on the captured responses.
func startCeiling(ctx context.Context, articleFile, listFile string, logw io.Writer) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := start("inkwell-ceiling", ceilingBin, []string{"-addr", addr, "-article", articleFile, "-list", listFile}, os.Environ(), addr, logw)
	if err != nil {
		return nil, err
	}
	if err := p.waitReady(ctx, "/api/v1/articles", 30*time.Second); err != nil {
		_ = p.stop(5 * time.Second)
		return nil, err
	}
	return p, nil
}
