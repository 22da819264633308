package webhook

import (
	"encoding/binary"
	"net/netip"
)

// The address ranges a webhook may not reach unless webhook.allow_private_targets is set: every
// entry of the two IANA special-purpose address registries, as of their 2025 editions, plus what
// the IPv6 addressing architecture reserves outside them (multicast, deprecated site-local and
// IPv4-compatible addresses). Sources:
//   - https://www.iana.org/assignments/iana-ipv4-special-registry (RFC 6890, updated by RFC 8190)
//   - https://www.iana.org/assignments/iana-ipv6-special-registry (RFC 6890, RFC 8190, RFC 9602,
//     RFC 9637, RFC 9780)
//   - RFC 4291 sections 2.4, 2.5.5.1 and 2.7; RFC 3879 (site-local); RFC 5771 (IPv4 multicast)
//
// Entries the registry marks "globally reachable" (AS112, AMT, PCP/TURN anycast, ORCHIDv2) are
// refused too: none of them is a place a webhook receiver lives, and refusing costs nothing.
var specialIPv4 = []special{
	{"0.0.0.0/8", "this network (RFC 791)"},
	{"10.0.0.0/8", "private-use (RFC 1918)"},
	{"100.64.0.0/10", "shared address space, CGNAT (RFC 6598)"},
	{"127.0.0.0/8", "loopback (RFC 1122)"},
	{"169.254.0.0/16", "link-local, cloud metadata (RFC 3927)"},
	{"172.16.0.0/12", "private-use (RFC 1918)"},
	{"192.0.0.0/24", "IETF protocol assignments: DS-Lite, NAT64 discovery, PCP and TURN anycast (RFC 6890)"},
	{"192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"},
	{"192.31.196.0/24", "AS112-v4 (RFC 7535)"},
	{"192.52.193.0/24", "AMT (RFC 7450)"},
	{"192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"},
	{"192.168.0.0/16", "private-use (RFC 1918)"},
	{"192.175.48.0/24", "direct delegation AS112 service (RFC 7534)"},
	{"198.18.0.0/15", "benchmarking (RFC 2544)"},
	{"198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"},
	{"203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"},
	{"224.0.0.0/4", "multicast (RFC 5771)"},
	{"240.0.0.0/4", "reserved (RFC 1112)"},
	{"255.255.255.255/32", "limited broadcast (RFC 919)"},
}

var specialIPv6 = []special{
	{"::1/128", "loopback (RFC 4291)"},
	{"::/128", "unspecified (RFC 4291)"},
	{"::/96", "deprecated IPv4-compatible (RFC 4291)"},
	{"::ffff:0:0/96", "IPv4-mapped (RFC 4291)"},
	{"64:ff9b::/96", "NAT64 well-known prefix (RFC 6052)"},
	{"64:ff9b:1::/48", "NAT64 local-use prefix (RFC 8215)"},
	{"100::/64", "discard-only (RFC 6666)"},
	{"100:0:0:1::/64", "dummy prefix (RFC 9780)"},
	{"2001::/23", "IETF protocol assignments: Teredo, benchmarking, AMT, AS112, ORCHID (RFC 2928)"},
	{"2001:db8::/32", "documentation (RFC 3849)"},
	{"2002::/16", "6to4 (RFC 3056)"},
	{"2620:4f:8000::/48", "direct delegation AS112 service (RFC 7534)"},
	{"3fff::/20", "documentation (RFC 9637)"},
	{"5f00::/16", "segment routing SIDs (RFC 9602)"},
	{"fc00::/7", "unique-local (RFC 4193)"},
	{"fe80::/10", "link-local (RFC 4291)"},
	{"fec0::/10", "deprecated site-local (RFC 3879)"},
	{"ff00::/8", "multicast (RFC 4291)"},
}

// special is one refused range and why.
type special struct {
	prefix string
	name   string
}

// specialPrefix is a parsed special range.
type specialPrefix struct {
	prefix netip.Prefix
	name   string
}

var specialRanges = parseSpecial(append(append([]special{}, specialIPv4...), specialIPv6...))

func parseSpecial(list []special) []specialPrefix {
	out := make([]specialPrefix, len(list))
	for i, s := range list {
		out[i] = specialPrefix{prefix: netip.MustParsePrefix(s.prefix), name: s.name}
	}
	return out
}

// The IPv6 prefixes that carry an IPv4 address inside, and where (RFC 6052, RFC 3056, RFC 4380,
// RFC 4291). A packet to one of them ends up at that IPv4 address wherever a translator or relay
// exists, so the embedded address is judged as well.
var (
	nat64WellKnown = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local     = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour      = netip.MustParsePrefix("2002::/16")
	teredo         = netip.MustParsePrefix("2001::/32")
	ipv4Compatible = netip.MustParsePrefix("::/96")
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address of a translation or tunnel prefix leads
// to, with the mechanism's name.
func embeddedIPv4(a netip.Addr) []embedded {
	if !a.Is6() || a.Is4In6() {
		return nil
	}
	b := a.As16()
	last32 := func() netip.Addr { return netip.AddrFrom4([4]byte(b[12:16])) }
	switch {
	case nat64WellKnown.Contains(a):
		return []embedded{{last32(), "NAT64"}}
	case nat64Local.Contains(a):
		// The operator picks a /48 to /96 inside the local-use prefix, so every RFC 6052 (section
		// 2.2) layout it may use is read; bits 64–71 (the u octet) never carry address bits.
		return []embedded{
			{netip.AddrFrom4([4]byte{b[6], b[7], b[9], b[10]}), "NAT64 (/48)"},
			{netip.AddrFrom4([4]byte{b[7], b[9], b[10], b[11]}), "NAT64 (/56)"},
			{netip.AddrFrom4([4]byte{b[9], b[10], b[11], b[12]}), "NAT64 (/64)"},
			{last32(), "NAT64 (/96)"},
		}
	case sixToFour.Contains(a):
		return []embedded{{netip.AddrFrom4([4]byte(b[2:6])), "6to4"}}
	case teredo.Contains(a):
		client := binary.BigEndian.Uint32(b[12:16]) ^ 0xffffffff
		var c [4]byte
		binary.BigEndian.PutUint32(c[:], client)
		return []embedded{{netip.AddrFrom4(c), "Teredo client"}, {netip.AddrFrom4([4]byte(b[4:8])), "Teredo server"}}
	case ipv4Compatible.Contains(a) && !a.IsLoopback() && !a.IsUnspecified():
		return []embedded{{last32(), "IPv4-compatible"}}
	}
	return nil
}

type embedded struct {
	addr      netip.Addr
	mechanism string
}

// refusedReason says why addr must not be called, or "" when it may. An IPv4-mapped address is the
// IPv4 address itself (the socket connects to that, and the resolver answers A records in this
// form); any other IPv6 address that embeds an IPv4 one is judged by the embedded address first, so
// the reason names where the packet would really go, and then by its own prefix.
func refusedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	for _, e := range embeddedIPv4(addr) {
		if r := rangeOf(e.addr); r != "" {
			return e.mechanism + " address of a " + r + " IPv4 address"
		}
	}
	return rangeOf(addr)
}

// rangeOf names the special-purpose range addr is in, or "".
func rangeOf(addr netip.Addr) string {
	if !addr.IsValid() || addr.Zone() != "" {
		return "scoped or invalid"
	}
	for _, s := range specialRanges {
		if s.prefix.Contains(addr) {
			return s.name
		}
	}
	return ""
}
