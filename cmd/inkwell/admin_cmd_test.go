package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// cli runs the command line and returns its exit code, stdout and stderr.
func cli(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := runWith(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestUserAndTokenCommands drives the CLI against a SQLite file, then checks through the HTTP API of
// an app on the same file that what it did is real.
func TestUserAndTokenCommands(t *testing.T) {
	dbURL := "sqlite:" + t.TempDir() + "/cli.db"
	t.Setenv("INKWELL_DATABASE_URL", dbURL)
	t.Setenv("INKWELL_LOG_LEVEL", "warn")

	usage := []struct {
		args []string
		want int
	}{
		{[]string{"user"}, exitUsage},
		{[]string{"token"}, exitUsage},
		{[]string{"user", "create", "--email", "ann@example.com", "--name", "Ann"}, exitUsage},
		{[]string{"user", "create", "--email", "nope", "--name", "Ann", "--role", "boss"}, exitUsage},
		{[]string{"token", "create", "--user", "ann@example.com"}, exitUsage},
		{[]string{"token", "create", "--user", "ann@example.com", "--name", "x", "--expires", "soon"}, exitUsage},
		{[]string{"token", "revoke"}, exitUsage},
	}
	for _, u := range usage {
		if code, _, stderr := cli(u.args...); code != u.want {
			t.Errorf("%v: exit %d (%s), want %d", u.args, code, stderr, u.want)
		}
	}

	if code, out, errOut := cli("user", "create", "--email", "Ann@Example.com", "--name", "Ann Lee", "--role", "editor"); code != exitOK || !strings.Contains(out, "ann@example.com") {
		t.Fatalf("user create: exit %d %q %q", code, out, errOut)
	}
	if code, _, errOut := cli("user", "create", "--email", "ann@example.com", "--name", "Ann", "--role", "viewer"); code != exitFailed || !strings.Contains(errOut, "already has that email") {
		t.Fatalf("duplicate user: exit %d %q", code, errOut)
	}
	if code, _, errOut := cli("token", "create", "--user", "nobody@example.com", "--name", "ci"); code != exitFailed || !strings.Contains(errOut, "no user has the email nobody@example.com") {
		t.Fatalf("token for a missing user: exit %d %q", code, errOut)
	}

	code, out, errOut := cli("token", "create", "--user", "ann@example.com", "--name", "ci", "--read-only", "--expires", "720h")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	token := lines[len(lines)-1]
	if code != exitOK || !regexp.MustCompile(`^ink_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("token create: exit %d, last line %q (%q)", code, token, errOut)
	}

	cfg := config.Default()
	cfg.Database.URL = dbURL
	app, cleanup, err := newApp(&cfg, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	client := apitest.New(t, app.Server.Handler).WithToken(token)
	r := client.Do("GET", "/api/v1/admin/me", nil)
	var me struct {
		User  struct{ Email, Role string }
		Token struct {
			ID        string
			ReadOnly  bool    `json:"read_only"`
			ExpiresAt *string `json:"expires_at"`
		}
	}
	r.JSON(t, &me)
	if r.Status != 200 || me.User.Email != "ann@example.com" || me.User.Role != "editor" || !me.Token.ReadOnly || me.Token.ExpiresAt == nil {
		t.Fatalf("the CLI's token: %d %s", r.Status, r.Body)
	}

	for _, args := range [][]string{{"token", "list"}, {"token", "list", "--user", "ann@example.com"}} {
		code, out, _ := cli(args...)
		if code != exitOK || !strings.Contains(out, me.Token.ID) || !strings.Contains(out, token[:12]) || strings.Contains(out, token[12:]) {
			t.Fatalf("%v: exit %d\n%s", args, code, out)
		}
	}
	if code, _, errOut := cli("token", "revoke", "0190a5c0-0000-7000-8000-000000000000"); code != exitFailed || !strings.Contains(errOut, "no API token") {
		t.Fatalf("revoking an unknown token: exit %d %q", code, errOut)
	}
	if code, out, _ := cli("token", "revoke", me.Token.ID); code != exitOK || !strings.Contains(out, "revoked token "+me.Token.ID) {
		t.Fatalf("token revoke: exit %d %q", code, out)
	}
	if r := client.Do("GET", "/api/v1/admin/me", nil); r.Status != 401 {
		t.Fatalf("a token revoked by the CLI still works: %d", r.Status)
	}
}
