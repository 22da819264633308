package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/inkwell-cms/inkwell/domain/webhook"
	"github.com/inkwell-cms/inkwell/infrastructure/config"
)

// Guard keeps webhook requests off the server's own networks (SSRF): a URL whose host resolves to a
// loopback, private, link-local (cloud metadata lives at 169.254.169.254), unspecified, multicast,
// CGNAT or reserved address is refused when it is saved, and the dialer refuses such an address
// again when it connects, which defeats DNS answers that change in between (DNS rebinding).
type Guard struct {
	allowPrivate bool
	lookup       func(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// NewGuard returns the guard configured by cfg.AllowPrivateTargets (for tests and closed networks).
func NewGuard(cfg config.Webhook) *Guard {
	return &Guard{allowPrivate: cfg.AllowPrivateTargets, lookup: net.DefaultResolver.LookupNetIP}
}

const lookupTimeout = 5 * time.Second

var (
	cgnat       = netip.MustParsePrefix("100.64.0.0/10")
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	reserved    = netip.MustParsePrefix("240.0.0.0/4") // includes the broadcast address
)

// refusedReason says why addr must not be called, or "" when it may.
func refusedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	switch {
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast():
		return "link-local"
	case addr.IsUnspecified(), thisNetwork.Contains(addr):
		return "unspecified"
	case addr.IsMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	case cgnat.Contains(addr):
		return "shared (CGNAT)"
	case reserved.Contains(addr):
		return "reserved"
	}
	return ""
}

// CheckURL refuses a URL whose host is, or resolves to, an address the server must not call.
func (g *Guard) CheckURL(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return webhook.URLRefused("must be an http or https URL with a host")
	}
	if g.allowPrivate {
		return nil
	}
	host := u.Hostname()
	addrs := []netip.Addr{}
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, a)
	} else {
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		addrs, err = g.lookup(ctx, "ip", host)
		if err != nil || len(addrs) == 0 {
			return webhook.URLRefused(fmt.Sprintf("the host %s does not resolve", host))
		}
	}
	for _, a := range addrs {
		if reason := refusedReason(a); reason != "" {
			return webhook.URLRefused(fmt.Sprintf("the host %s resolves to a %s address (%s)", host, reason, a.Unmap()))
		}
	}
	return nil
}

// ErrRefusedAddress is returned by the dialer for a connection to a forbidden address.
var ErrRefusedAddress = errors.New("refused to connect to a non-public address")

// control is a net.Dialer Control hook: it sees the address actually being connected to.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	if g.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrRefusedAddress, address)
	}
	if reason := refusedReason(ap.Addr()); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrRefusedAddress, ap.Addr().Unmap(), reason)
	}
	return nil
}
