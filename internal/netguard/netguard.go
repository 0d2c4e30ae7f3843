// Package netguard builds the HTTP client for URLs that come from outside
// the server's configuration: flow inputs, chat users, document loaders and
// tools. It refuses server-side request forgery targets (loopback, private,
// link-local, CGNAT, multicast and other non-public addresses) at dial
// time, after DNS resolution, so that host names resolving to such
// addresses, DNS rebinding and redirects to them are all caught. Only http
// and https are fetched, redirects are limited and re-checked, and
// [ReadAll] caps response sizes.
//
// Operators exempt internal services with an allow list (see
// [Options.Allow] and [AllowFromEnv]).
package netguard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"
)

// Limits applied by clients from [NewClient].
const (
	// ConnectTimeout bounds DNS resolution plus TCP connection setup.
	ConnectTimeout = 10 * time.Second
	// DefaultTimeout bounds a whole request, body included, when
	// [Options.Timeout] is zero.
	DefaultTimeout = 60 * time.Second
	// MaxRedirects is the number of redirects a request may follow.
	MaxRedirects = 5
)

var (
	// ErrForbidden reports a refused destination: a non-public address,
	// a host name resolving to one, or a scheme other than http and https.
	// Errors from the client wrap it (through *url.Error); test with
	// errors.Is.
	ErrForbidden = errors.New("netguard: forbidden destination")
	// ErrTooLarge reports a body longer than the limit given to [ReadAll].
	ErrTooLarge = errors.New("netguard: response too large")
)

// Options configures [NewClient].
type Options struct {
	// Allow exempts destinations from the address checks. Each entry is a
	// CIDR ("10.1.0.0/16"), an IP ("10.1.2.3", "::1"), an IP with port
	// ("127.0.0.1:8080", "[::1]:8080"), a host name ("intranet.local") or
	// a host name with port ("localhost:3000"). Host name entries match
	// the name in the URL; IP and CIDR entries match the resolved
	// address. Entries that parse as none of these are skipped; validate
	// operator input with [AllowFromEnv].
	Allow []string
	// Timeout bounds each request, body included; zero means
	// [DefaultTimeout] and a negative value means no overall limit.
	Timeout time.Duration
	// Resolver resolves host names; nil means [net.DefaultResolver].
	Resolver *net.Resolver
}

// NewClient returns a client that refuses forbidden destinations as the
// package doc describes. It ignores proxy environment variables: a proxy
// would resolve names itself, out of the guard's sight. The client is safe
// for concurrent use.
func NewClient(opts Options) *http.Client {
	d := &net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}
	return newClient(opts, d.DialContext)
}

// dialFunc dials a literal IP:port; tests substitute one that never
// touches the network.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func newClient(opts Options, dial dialFunc) *http.Client {
	allow, _ := parseAllow(opts.Allow)
	g := &guard{allow: allow, resolver: opts.Resolver, dial: dial}
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	base := &http.Transport{
		Proxy:                 nil,
		DialContext:           g.dialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	timeout := opts.Timeout
	switch {
	case timeout == 0:
		timeout = DefaultTimeout
	case timeout < 0:
		timeout = 0
	}
	return &http.Client{
		Transport:     &transport{base: base},
		CheckRedirect: checkRedirect,
		Timeout:       timeout,
	}
}

// WithRootCAs returns a copy of c, a client from [NewClient], that trusts
// only the certificates in pool for https (a loader's custom CA file). The
// copy keeps every guard of c. Any other client is an error.
func WithRootCAs(c *http.Client, pool *x509.CertPool) (*http.Client, error) {
	if c == nil {
		return nil, errors.New("netguard: setting root CAs: nil client")
	}
	t, ok := c.Transport.(*transport)
	if !ok {
		return nil, fmt.Errorf("netguard: setting root CAs: client transport %T is not a netguard transport", c.Transport)
	}
	base := t.base.Clone()
	base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	cc := *c
	cc.Transport = &transport{base: base}
	return &cc, nil
}

// ReadAll reads r to the end, refusing more than max bytes with an error
// wrapping [ErrTooLarge] (and returning the first max bytes). A negative max
// means no limit.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	if max < 0 {
		return io.ReadAll(r)
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return b[:max], fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return b, nil
}

// transport refuses schemes other than http and https before handing the
// request to the guarded base transport.
type transport struct {
	base *http.Transport
}

// RoundTrip implements [http.RoundTripper].
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkScheme(req); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(req)
}

// CloseIdleConnections closes the base transport's idle connections, so
// that [http.Client.CloseIdleConnections] reaches them.
func (t *transport) CloseIdleConnections() { t.base.CloseIdleConnections() }

var _ http.RoundTripper = (*transport)(nil)

func checkScheme(req *http.Request) error {
	if req.URL == nil {
		return fmt.Errorf("%w: request without URL", ErrForbidden)
	}
	switch req.URL.Scheme {
	case "http", "https":
		return nil
	}
	return fmt.Errorf("%w: scheme %q of %s is not http or https", ErrForbidden, req.URL.Scheme, req.URL.Redacted())
}

// checkRedirect limits redirects and refuses non-http(s) targets; the
// target's address is checked when it is dialled.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("netguard: stopped after %d redirects", MaxRedirects)
	}
	return checkScheme(req)
}

// guard dials only permitted addresses.
type guard struct {
	allow    allowList
	resolver *net.Resolver
	dial     dialFunc
}

// dialContext resolves addr's host, refuses it when any of its addresses is
// forbidden (and not allow-listed), and otherwise dials the checked
// addresses themselves, so that a second resolution cannot swap in another
// address.
func (g *guard) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("netguard: dialing %q: %w", addr, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("netguard: dialing %q: invalid port", addr)
	}
	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	ips, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	if !g.allow.hostAllowed(host, portStr) {
		for _, ip := range ips {
			if reason := Classify(ip); reason != "" && !g.allow.ipAllowed(ip, uint16(port)) {
				return nil, forbidden(host, ip, reason)
			}
		}
	}
	var firstErr error
	for _, ip := range ips {
		conn, err := g.dial(ctx, network, netip.AddrPortFrom(ip, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// resolve returns host's addresses: the host itself when it is an IP.
func (g *guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	ips, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("netguard: resolving %q: %w", host, err)
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("netguard: resolving %q: no addresses", host)
	}
	return ips, nil
}

// forbidden builds the error for a refused address.
func forbidden(host string, ip netip.Addr, reason string) error {
	if h, err := netip.ParseAddr(host); err == nil && h == ip {
		return fmt.Errorf("%w: %s is in a refused range (%s)", ErrForbidden, host, reason)
	}
	return fmt.Errorf("%w: host %q resolves to %s, in a refused range (%s)", ErrForbidden, host, ip, reason)
}
