package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	identityapp "github.com/inkwell-cms/inkwell/application/identity"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/infrastructure/logging"
)

// TestConcurrentFirstStartsCreateOneAdmin starts two nodes on one empty database and lets each run
// several first-start bootstraps at once: exactly one admin and one token may come out.
func TestConcurrentFirstStartsCreateOneAdmin(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		node1 := newTestApp(t, d)
		node2, cleanup, err := newApp(node1.Config, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cleanup)
		const perNode = 4
		results := make(chan identityapp.BootstrapResult, 2*perNode)
		errs := make(chan error, 2*perNode)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for _, svc := range []*identityapp.Service{node1.Identity, node2.Identity} {
			for range perNode {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res, err := svc.Bootstrap(context.Background(), "admin@example.com")
					results <- res
					errs <- err
				}()
			}
		}
		close(start)
		wg.Wait()
		close(results)
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("bootstrap: %v", err)
			}
		}
		created := 0
		var token string
		for res := range results {
			if res.Created {
				created++
				token = res.Token.Plaintext
			}
		}
		var users, tokens int64
		node1.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM users").Scan(&users)
		node1.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM api_tokens").Scan(&tokens)
		if created != 1 || users != 1 || tokens != 1 {
			t.Fatalf("%d bootstraps created, %d users, %d tokens; want 1 each", created, users, tokens)
		}
		if node1.Client.WithToken(token).Do("GET", "/api/v1/admin/me", nil).Status != 200 {
			t.Fatal("the first admin's token does not work")
		}
	})
}

// TestServePrintsTheAdminTokenOnceOnFirstStartOnly runs serve twice on one database.
func TestServePrintsTheAdminTokenOnceOnFirstStartOnly(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Database.URL = "sqlite:" + t.TempDir() + "/inkwell.db"
	line := regexp.MustCompile(`^Admin API token \(shown once\): ink_[A-Za-z0-9_-]{43}\n$`)
	first := serveOnce(t, &cfg)
	if !line.MatchString(first) {
		t.Fatalf("first start printed %q", first)
	}
	if second := serveOnce(t, &cfg); second != "" {
		t.Fatalf("second start printed %q, want nothing", second)
	}
}

// serveOnce runs serve until it answers /readyz, stops it and returns what it printed on stdout.
func serveOnce(t *testing.T, cfg *config.Config) string {
	t.Helper()
	cfg.HTTP.Addr = freeAddr(t)
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	var stdout bytes.Buffer
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	opts := serveOptions{ShutdownTimeout: 5 * time.Second, Migrate: true, AdminEmail: "admin@example.com", Stdout: &stdout}
	go func() { served <- serve(ctx, opts, newAppFunc(cfg, log), log) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + cfg.HTTP.Addr + "/readyz")
		if err == nil {
			_ = res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	return stdout.String()
}

// lockedBuffer is a log sink safe for the request goroutines and the background writer.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogsNeverContainATokenSecret logs everything, SQL included, while tokens are issued, used,
// refused and revoked, and looks for the secrets in the output.
func TestLogsNeverContainATokenSecret(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d config.Dialect) {
		var sink lockedBuffer
		log, err := logging.NewTo(config.Log{Level: "debug", Format: "json", AccessLog: true}, &sink)
		if err != nil {
			t.Fatal(err)
		}
		f := bootstrapFixture(t, newTestAppLogging(t, d, log, func(c *config.Config) { c.Log.AccessLog = true }))
		a := f.actor(t, "Log Watcher", "author", false)
		_, other := f.issueToken(t, a.userID, true)
		a.client.Do("GET", "/api/v1/admin/me", nil)
		a.client.Do("POST", "/api/v1/admin/users", map[string]any{"email": "x@example.com", "name": "X", "role": "viewer"})
		f.app.Client.WithToken(other+"x").Do("GET", "/api/v1/admin/me", nil)
		f.admin.Do("DELETE", "/api/v1/admin/tokens/"+a.tokenID, nil)
		a.client.Do("GET", "/api/v1/admin/me", nil)
		f.app.Client.Do("GET", "/api/v1/admin/me?token="+other, nil)
		if _, err := f.app.Identity.Bootstrap(context.Background(), "admin@example.com"); err != nil {
			t.Fatal(err)
		}
		out := sink.String()
		if !strings.Contains(out, `"logger":"access"`) || !strings.Contains(out, `"user_id":"`+a.userID+`"`) {
			t.Fatalf("the access log is missing or does not name the user:\n%s", out)
		}
		for _, secret := range []string{other, a.plaintext} {
			if body := strings.TrimPrefix(secret, "ink_"); strings.Contains(out, body) {
				t.Fatalf("the logs contain the secret %q:\n%s", body, out)
			}
		}
	})
}
