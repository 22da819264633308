package webhook_test

import (
	"context"
	"net/url"

	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// The repositories and the transaction manager are memstore's fakes, which pass the repository
// contract suites; what is left here is the SSRF guard.

// fakeGuard refuses the hosts in refused and records what it checked.
type fakeGuard struct {
	refused map[string]bool
	checked []string
}

func (g *fakeGuard) CheckURL(_ context.Context, raw string) error {
	g.checked = append(g.checked, raw)
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if g.refused[u.Hostname()] {
		return webhook.URLRefused("resolves to a private address")
	}
	return nil
}
