package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// EnvAllow names the environment variable read by [AllowFromEnv]: a comma
// list of allow-list entries as [Options.Allow] describes them.
const EnvAllow = "FLOE_SSRF_ALLOW"

// AllowFromEnv returns the entries of the FLOE_SSRF_ALLOW environment
// variable (comma separated, blanks dropped), or nil when it is unset. An
// entry that is not a CIDR, an IP, a host name or a host:port is an error
// naming it, so that a typo fails at startup instead of silently allowing
// nothing.
func AllowFromEnv() ([]string, error) {
	var out []string
	for e := range strings.SplitSeq(os.Getenv(EnvAllow), ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	if _, err := parseAllow(out); err != nil {
		return nil, fmt.Errorf("reading %s: %w", EnvAllow, err)
	}
	return out, nil
}

// allowList is the parsed form of [Options.Allow].
type allowList struct {
	prefixes  []netip.Prefix          // CIDRs and single IPs, any port
	ipPorts   map[netip.AddrPort]bool // IP:port entries
	hosts     map[string]bool         // host names, any port (lower case)
	hostPorts map[string]bool         // "host:port" entries (lower-case host)
}

// parseAllow parses allow-list entries (see [Options.Allow]). Invalid
// entries are left out of the list and reported together in the error.
func parseAllow(entries []string) (allowList, error) {
	a := allowList{
		ipPorts:   map[netip.AddrPort]bool{},
		hosts:     map[string]bool{},
		hostPorts: map[string]bool{},
	}
	var errs []error
	for _, raw := range entries {
		if err := a.add(strings.TrimSpace(raw)); err != nil {
			errs = append(errs, err)
		}
	}
	return a, errors.Join(errs...)
}

// add parses one entry into a.
func (a *allowList) add(e string) error {
	if e == "" {
		return nil
	}
	if p, err := netip.ParsePrefix(e); err == nil {
		a.prefixes = append(a.prefixes, p.Masked())
		return nil
	}
	bare := strings.TrimSuffix(strings.TrimPrefix(e, "["), "]")
	if ip, err := netip.ParseAddr(bare); err == nil {
		ip = ip.Unmap().WithZone("")
		a.prefixes = append(a.prefixes, netip.PrefixFrom(ip, ip.BitLen()))
		return nil
	}
	if host, port, err := net.SplitHostPort(e); err == nil {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("allow entry %q: invalid port %q", e, port)
		}
		if ip, err := netip.ParseAddr(host); err == nil {
			a.ipPorts[netip.AddrPortFrom(ip.Unmap().WithZone(""), uint16(n))] = true
			return nil
		}
		if !validHost(host) {
			return fmt.Errorf("allow entry %q: invalid host %q", e, host)
		}
		a.hostPorts[strings.ToLower(host)+":"+port] = true
		return nil
	}
	if !validHost(e) {
		return fmt.Errorf("allow entry %q: not a CIDR, IP, host or host:port", e)
	}
	a.hosts[strings.ToLower(e)] = true
	return nil
}

// hostAllowed reports whether a host name entry exempts host:port.
func (a allowList) hostAllowed(host, port string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return a.hosts[h] || a.hostPorts[h+":"+port]
}

// ipAllowed reports whether an IP, IP:port or CIDR entry exempts ip:port.
func (a allowList) ipAllowed(ip netip.Addr, port uint16) bool {
	ip = ip.Unmap().WithZone("")
	if a.ipPorts[netip.AddrPortFrom(ip, port)] {
		return true
	}
	for _, p := range a.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// validHost reports whether s looks like a DNS host name.
func validHost(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
		default:
			return false
		}
	}
	return true
}
