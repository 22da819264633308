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

// Guard keeps webhook requests off the server's own networks (SSRF): a URL whose host is, or
// resolves to, an address of a special-purpose range (see addresses.go: loopback, private,
// link-local where cloud metadata lives, CGNAT, documentation, benchmarking, multicast, reserved, and
// the IPv6 prefixes that tunnel or translate to an IPv4 address, judged by that address too) is
// refused when it is saved, and the dialer refuses such an address again when it connects, which
// defeats DNS answers that change in between (DNS rebinding).
type Guard struct {
	allowPrivate bool
	lookup       func(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// NewGuard returns the guard configured by cfg.AllowPrivateTargets (for tests and closed networks).
func NewGuard(cfg config.Webhook) *Guard {
	return &Guard{allowPrivate: cfg.AllowPrivateTargets, lookup: net.DefaultResolver.LookupNetIP}
}

const lookupTimeout = 5 * time.Second

// Refusals a client sees. A host name's refusal says neither the addresses it resolved to nor
// whether it resolved at all: both are answers of the server's (possibly internal) DNS, and the
// guard must not turn into an oracle for it.
const (
	refusedName    = "the host does not resolve to a public address; webhooks may only call public addresses"
	refusedLiteral = "the address is in a special-purpose range (%s); webhooks may only call public addresses"
)

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
	if a, err := netip.ParseAddr(host); err == nil {
		if reason := refusedReason(a); reason != "" {
			return webhook.URLRefused(fmt.Sprintf(refusedLiteral, reason))
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	addrs, err := g.lookup(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return webhook.URLRefused(refusedName)
	}
	for _, a := range addrs {
		if refusedReason(a) != "" {
			return webhook.URLRefused(refusedName)
		}
	}
	return nil
}

// ErrRefusedAddress is returned by the dialer for a connection to a forbidden address. The sender
// records it without the address (which came from DNS at delivery time).
var ErrRefusedAddress = errors.New("refused to connect: the host resolves to an address that is not allowed")

// control is a net.Dialer Control hook: it sees the address actually being connected to.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	if g.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return ErrRefusedAddress
	}
	if refusedReason(ap.Addr()) != "" {
		return ErrRefusedAddress
	}
	return nil
}
