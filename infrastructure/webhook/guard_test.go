package webhook

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/inkwell-cms/inkwell/domain/shared"
	"github.com/inkwell-cms/inkwell/domain/webhook"
)

// specialAddresses are addresses of every refused range: both IANA special-purpose registries, the
// ranges the IPv6 architecture reserves, and IPv6 addresses that tunnel or translate to an IPv4 one.
// cmd/inkwell and the reliability suite run a selection of it through the API.
var specialAddresses = []string{
	// IPv4 registry, first and last addresses of each block.
	"0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255",
	"127.0.0.1", "127.255.255.254", "169.254.0.0", "169.254.169.254", "172.16.0.0", "172.31.255.255",
	"192.0.0.0", "192.0.0.8", "192.0.0.9", "192.0.0.170", "192.0.0.255", "192.0.2.1", "192.31.196.1",
	"192.52.193.1", "192.88.99.1", "192.168.0.1", "192.168.255.255", "192.175.48.1", "198.18.0.0",
	"198.19.255.255", "198.51.100.7", "203.0.113.10", "224.0.0.1", "239.255.255.250", "240.0.0.1",
	"255.255.255.254", "255.255.255.255",
	// IPv6 registry.
	"::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
	"64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::808:808", "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:ffff::1",
	"100::1", "100:0:0:1::1", "2001::1", "2001:1::1", "2001:2::1", "2001:3::1", "2001:4:112::1",
	"2001:10::1", "2001:20::1", "2001:30::1", "2001:1ff:ffff::1", "2001:db8::1", "2001:db8:ffff::1",
	"2002:a9fe:a9fe::1", "2002:808:808::1", "2620:4f:8000::1", "3fff::1", "3fff:fff::1", "5f00::1",
	"fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "feff::1", "ff02::1", "ff0e::1",
	// Teredo: server 65.54.227.120, client 127.0.0.1 / 8.8.8.8 (stored inverted).
	"2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
	// IPv4-compatible (deprecated): ::169.254.169.254 and ::8.8.8.8.
	"::a9fe:a9fe", "::808:808",
}

// publicAddresses are ordinary unicast addresses on both sides of the special ranges.
var publicAddresses = []string{
	"93.184.215.14", "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
	"126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
	"192.0.1.0", "192.0.3.0", "192.88.98.255", "192.167.255.255", "192.169.0.0", "198.17.255.255",
	"198.20.0.0", "203.0.112.255", "203.0.114.0", "223.255.255.255",
	"::ffff:93.184.215.14", // IPv4-mapped is the IPv4 address itself: Go's resolver answers A records so
	"2606:4700::1111", "2001:4860:4860::8888", "2001:200::1", "2003::1", "2a00:1450::1", "64:ff9a::1",
	"64:ff9c::1", "fbff::1",
}

func TestEveryRegistryRangeIsRefusedAndPublicAddressesPass(t *testing.T) {
	t.Parallel()
	for _, s := range specialAddresses {
		if refusedReason(netip.MustParseAddr(s)) == "" {
			t.Errorf("%s: allowed, want refused", s)
		}
	}
	for _, s := range publicAddresses {
		if r := refusedReason(netip.MustParseAddr(s)); r != "" {
			t.Errorf("%s: refused (%s), want allowed", s, r)
		}
	}
	for _, r := range specialRanges {
		// The first and last address of every listed range.
		first, last := r.prefix.Masked().Addr(), lastAddr(r.prefix)
		for _, a := range []netip.Addr{first, last} {
			if refusedReason(a) == "" {
				t.Errorf("%s (%s of %s): allowed", a, r.name, r.prefix)
			}
		}
	}
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func TestEmbeddedIPv4IsExtractedAndJudged(t *testing.T) {
	t.Parallel()
	tests := map[string]string{ // address -> a word the reason must contain
		"64:ff9b::a9fe:a9fe":                   "NAT64 address of a link-local",
		"64:ff9b::7f00:1":                      "NAT64 address of a loopback",
		"64:ff9b:1:a9fe:a9:fe00::":             "NAT64 (/48) address of a link-local",
		"2002:a9fe:a9fe::1":                    "6to4 address of a link-local",
		"2002:c0a8:101::":                      "6to4 address of a private-use",
		"2001:0:4136:e378:8000:63bf:80ff:fffe": "Teredo client address of a loopback",
		"2001:0:a00:1:8000:63bf:f7f7:f7f7":     "Teredo server address of a private-use",
		"::a9fe:a9fe":                          "IPv4-compatible address of a link-local",
		"::ffff:a9fe:a9fe":                     "link-local",
		// A public embedded address does not make the prefix public.
		"64:ff9b::808:808": "NAT64 well-known prefix",
		"2002:808:808::1":  "6to4",
		"::808:808":        "IPv4-compatible",
	}
	for addr, want := range tests {
		if got := refusedReason(netip.MustParseAddr(addr)); !strings.Contains(got, want) {
			t.Errorf("%s: reason %q, want it to contain %q", addr, got, want)
		}
	}
}

func TestNAT64LocalUseIsReadInEveryPrefixLayout(t *testing.T) {
	t.Parallel()
	// The local-use /48 may hold a /48 to /96 NAT64 prefix: each layout of RFC 6052 is read.
	tests := map[string]string{
		"64:ff9b:1:a9fe:a9:fe00::":  "169.254.169.254", // /48
		"64:ff9b:1:a:a:a0a::":       "10.10.10.10",     // /56
		"64:ff9b:1::a9:fea9:fe00:0": "169.254.169.254", // /64
		"64:ff9b:1::c0a8:101":       "192.168.1.1",     // /96
	}
	for addr, want := range tests {
		found := false
		for _, e := range embeddedIPv4(netip.MustParseAddr(addr)) {
			found = found || e.addr.String() == want
		}
		if !found {
			t.Errorf("%s: %v does not hold %s", addr, embeddedIPv4(netip.MustParseAddr(addr)), want)
		}
	}
}

func TestEveryRefusedAddressIsRefusedAtCreateAndAtDial(t *testing.T) {
	t.Parallel()
	answers := map[string][]string{}
	for i, s := range specialAddresses {
		answers[hostOf(i)] = []string{"93.184.215.14", s} // one bad answer among good ones suffices
	}
	g := &Guard{lookup: fakeLookup(answers)}
	for i, s := range specialAddresses {
		a := netip.MustParseAddr(s)
		literal := "http://" + netip.AddrPortFrom(a, 80).String() + "/hook"
		if err := g.CheckURL(context.Background(), literal); !isRefusal(err) {
			t.Errorf("create %s: %v", literal, err)
		}
		name := "https://" + hostOf(i) + "/hook"
		err := g.CheckURL(context.Background(), name)
		if !isRefusal(err) {
			t.Errorf("create %s (-> %s): %v", name, s, err)
		} else if msg := fieldMessage(err); msg != refusedName || strings.Contains(msg, a.Unmap().String()) {
			t.Errorf("create %s: the message %q echoes the DNS answer or differs from the fixed one", name, msg)
		}
		err = g.control("tcp", netip.AddrPortFrom(a, 443).String(), nil)
		if !errors.Is(err, ErrRefusedAddress) || strings.Contains(err.Error(), a.Unmap().String()) {
			t.Errorf("dial %s: %v", s, err)
		}
	}
	for _, s := range publicAddresses {
		ap := netip.AddrPortFrom(netip.MustParseAddr(s), 443).String()
		if err := g.CheckURL(context.Background(), "https://"+ap+"/"); err != nil {
			t.Errorf("create %s: %v", s, err)
		}
		if err := g.control("tcp", ap, nil); err != nil {
			t.Errorf("dial %s: %v", s, err)
		}
	}
	open := &Guard{allowPrivate: true}
	for _, s := range specialAddresses {
		ap := netip.AddrPortFrom(netip.MustParseAddr(s), 80).String()
		if err := open.CheckURL(context.Background(), "http://"+ap+"/"); err != nil {
			t.Errorf("allow-private create %s: %v", s, err)
		}
		if err := open.control("tcp", ap, nil); err != nil {
			t.Errorf("allow-private dial %s: %v", s, err)
		}
	}
}

func hostOf(i int) string {
	return "h" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".example"
}

func isRefusal(err error) bool {
	var e *shared.Error
	return errors.As(err, &e) && e.Code == webhook.URLRefusedCode && e.Kind == shared.KindInvalid &&
		len(e.Fields) == 1 && e.Fields[0].Field == "url"
}

func fieldMessage(err error) string {
	var e *shared.Error
	if errors.As(err, &e) && len(e.Fields) == 1 {
		return e.Fields[0].Message
	}
	return ""
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
		"a-record.example":  {"::ffff:93.184.215.14"}, // how Go's resolver answers an A record
		"metadata.evil":     {"169.254.169.254"},
		"mixed.evil":        {"93.184.215.14", "10.0.0.7"},
		"nat64.evil":        {"64:ff9b::a9fe:a9fe"},
	})}
	tests := map[string]bool{ // URL -> allowed
		"https://hooks.example.com/in":        true,
		"https://a-record.example/in":         true,
		"http://93.184.215.14:8080/x":         true,
		"http://metadata.evil/latest":         false,
		"https://mixed.evil/":                 false,
		"https://nat64.evil/":                 false,
		"http://127.0.0.1:9000/":              false,
		"http://[::1]/":                       false,
		"http://[::ffff:169.254.169.254]":     false,
		"http://[64:ff9b::a9fe:a9fe]/latest/": false,
		"http://[fe80::1%25eth0]/":            false,
		"https://unknown.invalid/":            false,
		"file:///etc/passwd":                  false,
	}
	for raw, allowed := range tests {
		err := g.CheckURL(context.Background(), raw)
		if (err == nil) != allowed {
			t.Errorf("%s: %v, want allowed=%v", raw, err, allowed)
			continue
		}
		if err != nil && !isRefusal(err) {
			t.Errorf("%s: want a webhook_url_refused validation error on url, got %v", raw, err)
		}
	}
	// An unknown name and one resolving to a private address answer alike: no DNS oracle.
	if a, b := fieldMessage(g.CheckURL(context.Background(), "https://unknown.invalid/")),
		fieldMessage(g.CheckURL(context.Background(), "https://metadata.evil/")); a != b {
		t.Errorf("unresolvable %q and private %q differ", a, b)
	}
	open := &Guard{allowPrivate: true, lookup: fakeLookup(nil)}
	if err := open.CheckURL(context.Background(), "http://127.0.0.1:9000/"); err != nil {
		t.Fatalf("allow-private: %v", err)
	}
	if err := open.CheckURL(context.Background(), "gopher://127.0.0.1/"); err == nil {
		t.Fatal("allow-private still needs http(s)")
	}
}

func TestDialControlRefusesAnUnparsableAddress(t *testing.T) {
	t.Parallel()
	if err := (&Guard{}).control("tcp", "not-an-address", nil); !errors.Is(err, ErrRefusedAddress) {
		t.Fatalf("unparsable: %v", err)
	}
}
