package netguard

import (
	"net/netip"
)

// blockedPrefixes are the IPv4 and IPv6 ranges no outbound fetch may reach,
// with the reason reported in errors. IPv4 addresses embedded in IPv6 forms
// (mapped, compatible, NAT64, 6to4) are unwrapped first, see [Classify].
var blockedPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("fc00::/7"), "private"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// Prefixes of IPv6 forms that carry an IPv4 address: the address is
// checked as that IPv4 address.
var (
	compatPrefix = netip.MustParsePrefix("::/96")          // IPv4-compatible (deprecated)
	nat64Prefix  = netip.MustParsePrefix("64:ff9b::/96")   // NAT64 well-known prefix
	nat64Local   = netip.MustParsePrefix("64:ff9b:1::/48") // NAT64 local-use prefix
	sixToFour    = netip.MustParsePrefix("2002::/16")      // 6to4
)

// Classify reports why ip may not be fetched from ("loopback", "private",
// "link-local", ...), or "" when it is a public address. IPv4-mapped
// (::ffff:a.b.c.d), IPv4-compatible, NAT64 and 6to4 IPv6 addresses are
// judged by the IPv4 address they embed; zones are ignored. The invalid
// zero Addr is refused as "invalid".
func Classify(ip netip.Addr) string {
	if !ip.IsValid() {
		return "invalid"
	}
	ip = ip.WithZone("")
	if embedded, ok := embeddedIPv4(ip); ok {
		return Classify(embedded)
	}
	ip = ip.Unmap()
	for _, b := range blockedPrefixes {
		if b.prefix.Contains(ip) {
			return b.reason
		}
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address carried by an IPv4-mapped,
// IPv4-compatible, NAT64 or 6to4 IPv6 address.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	if ip.Is4In6() {
		return ip.Unmap(), true
	}
	b := ip.As16()
	switch {
	case compatPrefix.Contains(ip):
		v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		if v4.Compare(netip.AddrFrom4([4]byte{0, 0, 0, 1})) <= 0 {
			return netip.Addr{}, false // :: and ::1 are IPv6's own
		}
		return v4, true
	case nat64Prefix.Contains(ip), nat64Local.Contains(ip):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}
