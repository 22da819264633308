package webhook

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

func TestRefusedAddresses(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{ // address -> refused
		"127.0.0.1": true, "127.8.9.10": true, "::1": true,
		"10.1.2.3": true, "172.16.0.1": true, "172.31.255.255": true, "192.168.1.1": true, "fd00::1": true, "fc00::1": true,
		"169.254.169.254": true, "169.254.0.1": true, "fe80::1": true,
		"0.0.0.0": true, "::": true, "0.1.2.3": true,
		"224.0.0.1": true, "239.255.255.250": true, "ff02::1": true,
		"100.64.0.1": true, "100.127.255.254": true, "255.255.255.255": true,
		"::ffff:127.0.0.1": true, "::ffff:10.0.0.1": true,
		"93.184.215.14": false, "8.8.8.8": false, "172.32.0.1": false, "100.128.0.1": false, "2606:4700::1111": false,
	}
	for addr, refused := range tests {
		if got := refusedReason(netip.MustParseAddr(addr)) != ""; got != refused {
			t.Errorf("%s: refused=%v, want %v", addr, got, refused)
		}
	}
}

func fakeLookup(answers map[string][]string) func(context.Context, string, string) ([]netip.Addr, error) {
	return func(_ context.Context, _, host string) ([]netip.Addr, error) {
		ips, ok := answers[host]
		if !ok {
			return nil, errors.New("no such host")
		}
		var out []netip.Addr
		for _, ip := range ips {
			out = append(out, netip.MustParseAddr(ip))
		}
		return out, nil
	}
}

func TestCheckURLResolvesTheHostAndRefusesInternalTargets(t *testing.T) {
	t.Parallel()
	g := &Guard{lookup: fakeLookup(map[string][]string{
		"hooks.example.com": {"93.184.215.14", "2606:2800::1"},
		"metadata.evil":     {"169.254.169.254"},
		"mixed.evil":        {"93.184.215.14", "10.0.0.7"},
	})}
	tests := map[string]bool{ // URL -> allowed
		"https://hooks.example.com/in":    true,
		"http://93.184.215.14:8080/x":     true,
		"http://metadata.evil/latest":     false,
		"https://mixed.evil/":             false,
		"http://127.0.0.1:9000/":          false,
		"http://[::1]/":                   false,
		"http://[::ffff:169.254.169.254]": false,
		"https://unknown.invalid/":        false,
		"file:///etc/passwd":              false,
	}
	for raw, allowed := range tests {
		err := g.CheckURL(context.Background(), raw)
		if (err == nil) != allowed {
			t.Errorf("%s: %v, want allowed=%v", raw, err, allowed)
			continue
		}
		var e *shared.Error
		if err != nil && (!errors.As(err, &e) || e.Code != webhook.URLRefusedCode || e.Kind != shared.KindInvalid || e.Fields[0].Field != "url") {
			t.Errorf("%s: want a webhook_url_refused validation error on url, got %v", raw, err)
		}
	}
	open := &Guard{allowPrivate: true, lookup: fakeLookup(nil)}
	if err := open.CheckURL(context.Background(), "http://127.0.0.1:9000/"); err != nil {
		t.Fatalf("allow-private: %v", err)
	}
	if err := open.CheckURL(context.Background(), "gopher://127.0.0.1/"); err == nil {
		t.Fatal("allow-private still needs http(s)")
	}
}

func TestDialControlChecksTheAddressConnectedTo(t *testing.T) {
	t.Parallel()
	g := &Guard{}
	for addr, ok := range map[string]bool{
		"93.184.215.14:443": true, "[2606:4700::1111]:443": true,
		"127.0.0.1:80": false, "[::1]:80": false, "169.254.169.254:80": false, "10.0.0.1:443": false,
	} {
		err := g.control("tcp", addr, nil)
		if (err == nil) != ok || (err != nil && !errors.Is(err, ErrRefusedAddress)) {
			t.Errorf("%s: %v, want ok=%v", addr, err, ok)
		}
	}
	if err := (&Guard{allowPrivate: true}).control("tcp", "127.0.0.1:80", nil); err != nil {
		t.Fatalf("allow-private: %v", err)
	}
}
