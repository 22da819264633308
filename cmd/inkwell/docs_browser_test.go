package main

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/inkwell-cms/inkwell/infrastructure/config"
	"github.com/inkwell-cms/inkwell/interfaces/http/apitest"
)

// The reference page is JavaScript: only a real browser proves it renders the contract. The test
// needs Debian's chromium (apt-get install chromium) and skips without it.
func TestDocsRenderEveryOperationInHeadlessChromium(t *testing.T) {
	t.Parallel()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed (apt-get install chromium): /docs browser check skipped")
	}
	app := newTestApp(t, config.DialectSQLite)
	srv := httptest.NewServer(app.Server.Handler)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=20000", "--dump-dom", srv.URL+"/docs/").Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	doc, _ := apitest.Spec(t)
	for path := range doc.Paths.Map() {
		if !strings.Contains(dom, `data-path="`+path+`"`) {
			t.Errorf("the reference page does not show %s", path)
		}
	}
}
