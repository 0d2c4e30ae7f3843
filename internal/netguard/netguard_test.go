package netguard

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// noDial is a dial function that fails the test: refused destinations must
// never reach the network.
func noDial(t *testing.T) (dialFunc, *atomic.Int32) {
	var calls atomic.Int32
	return func(_ context.Context, _, addr string) (net.Conn, error) {
		calls.Add(1)
		t.Errorf("dialled %s; the guard should have refused it", addr)
		return nil, errors.New("test dialer: no network")
	}, &calls
}

func TestRefusedDestinations(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string // substring of the error
	}{
		{name: "loopback", url: "http://127.0.0.1/", want: "loopback"},
		{name: "loopback range", url: "http://127.1.2.3:8080/x", want: "loopback"},
		{name: "cloud metadata", url: "http://169.254.169.254/latest/meta-data/", want: "link-local"},
		{name: "private 10/8", url: "http://10.0.0.1/", want: "private"},
		{name: "private 172.16/12 low", url: "http://172.16.0.1/", want: "private"},
		{name: "private 172.16/12 high", url: "http://172.31.255.254/", want: "private"},
		{name: "private 192.168/16", url: "https://192.168.1.1/", want: "private"},
		{name: "cgnat", url: "http://100.64.0.1/", want: "carrier-grade NAT"},
		{name: "unspecified v4", url: "http://0.0.0.0:80/", want: "this-network"},
		{name: "multicast", url: "http://224.0.0.1/", want: "multicast"},
		{name: "broadcast", url: "http://255.255.255.255/", want: "reserved"},
		{name: "ipv6 loopback", url: "http://[::1]/", want: "loopback"},
		{name: "ipv6 unspecified", url: "http://[::]/", want: "unspecified"},
		{name: "ipv6 unique local", url: "http://[fd00:ec2::254]/", want: "private"},
		{name: "ipv6 link-local", url: "http://[fe80::1]/", want: "link-local"},
		{name: "mapped loopback", url: "http://[::ffff:127.0.0.1]/", want: "loopback"},
		{name: "mapped metadata", url: "http://[::ffff:169.254.169.254]/", want: "link-local"},
		{name: "mapped private hex", url: "http://[::ffff:a00:1]/", want: "private"},
		{name: "compatible loopback", url: "http://[::127.0.0.1]/", want: "loopback"},
		{name: "nat64 loopback", url: "http://[64:ff9b::7f00:1]/", want: "loopback"},
		{name: "6to4 private", url: "http://[2002:c0a8:101::1]/", want: "private"},
		{name: "name resolving to loopback", url: "http://localhost:9/", want: `host "localhost" resolves to`},
		{name: "ftp scheme", url: "ftp://example.com/file", want: `scheme "ftp"`},
		{name: "file scheme", url: "file:///etc/passwd", want: `scheme "file"`},
	}
	dial, calls := noDial(t)
	c := newClient(Options{}, dial)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, tc.url, nil)
			if err != nil {
				t.Fatalf("building request: %v", err)
			}
			resp, err := c.Do(req)
			if err == nil {
				_ = resp.Body.Close()
				t.Fatalf("GET %s succeeded, want it refused", tc.url)
			}
			if !errors.Is(err, ErrForbidden) {
				t.Errorf("GET %s: error %v does not wrap ErrForbidden", tc.url, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("GET %s: error %q lacks %q", tc.url, err, tc.want)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("dialer called %d times, want 0", n)
	}
}

// hostPort returns the host:port of a test server.
func hostPort(t *testing.T, s *httptest.Server) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatalf("parsing server URL: %v", err)
	}
	return u.Host
}

func get(t *testing.T, c *http.Client, u string) (string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := ReadAll(resp.Body, 1<<20)
	return string(b), err
}

func TestAllowAndRedirects(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "secret")
	}))
	defer target.Close()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-target":
			http.Redirect(w, r, target.URL+"/", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/local":
			http.Redirect(w, r, "/", http.StatusFound)
		default:
			_, _ = io.WriteString(w, "front")
		}
	}))
	defer front.Close()
	frontHost := hostPort(t, front)
	_, frontPort, _ := net.SplitHostPort(frontHost)

	tests := []struct {
		name          string
		allow         []string
		url           string
		want          string
		wantForbidden bool
		wantErr       string
	}{
		{name: "allow-listed host:port", allow: []string{frontHost}, url: front.URL + "/", want: "front"},
		{name: "allow-listed redirect within", allow: []string{frontHost}, url: front.URL + "/local", want: "front"},
		{name: "allow-listed CIDR", allow: []string{"127.0.0.0/8"}, url: target.URL + "/", want: "secret"},
		{name: "allow-listed IP", allow: []string{"127.0.0.1"}, url: target.URL + "/", want: "secret"},
		{name: "invalid entries skipped", allow: []string{"bad host!", frontHost}, url: front.URL + "/", want: "front"},
		{name: "allow-listed host name", allow: []string{"localhost:" + frontPort}, url: "http://localhost:" + frontPort + "/", want: "front"},
		{name: "no allow list", url: front.URL + "/", wantForbidden: true},
		{name: "other port of allowed host", allow: []string{frontHost}, url: target.URL + "/", wantForbidden: true},
		{name: "redirect to non-allowed loopback", allow: []string{frontHost}, url: front.URL + "/to-target", wantForbidden: true},
		{name: "redirect to file scheme", allow: []string{frontHost}, url: front.URL + "/to-file", wantForbidden: true},
		{name: "redirect loop", allow: []string{frontHost}, url: front.URL + "/loop", wantErr: "stopped after 5 redirects"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := get(t, NewClient(Options{Allow: tc.allow}), tc.url)
			switch {
			case tc.wantForbidden:
				if !errors.Is(err, ErrForbidden) {
					t.Errorf("GET %s = %q, %v; want ErrForbidden", tc.url, got, err)
				}
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("GET %s error = %v, want %q", tc.url, err, tc.wantErr)
				}
			case err != nil:
				t.Errorf("GET %s: %v", tc.url, err)
			case got != tc.want:
				t.Errorf("GET %s = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}

func TestWithRootCAs(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "tls ok")
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	allowed := NewClient(Options{Allow: []string{hostPort(t, srv)}})
	if _, err := get(t, allowed, srv.URL); err == nil {
		t.Errorf("GET with system roots succeeded, want a certificate error")
	}
	withCA, err := WithRootCAs(allowed, pool)
	if err != nil {
		t.Fatalf("WithRootCAs: %v", err)
	}
	if got, err := get(t, withCA, srv.URL); err != nil || got != "tls ok" {
		t.Errorf("GET with custom CA = %q, %v; want %q", got, err, "tls ok")
	}
	guarded, err := WithRootCAs(NewClient(Options{}), pool)
	if err != nil {
		t.Fatalf("WithRootCAs: %v", err)
	}
	if _, err := get(t, guarded, srv.URL); !errors.Is(err, ErrForbidden) {
		t.Errorf("GET loopback with custom CA, no allow list: %v, want ErrForbidden", err)
	}
	if _, err := WithRootCAs(http.DefaultClient, pool); err == nil {
		t.Errorf("WithRootCAs(http.DefaultClient) succeeded, want an error")
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		ip   string
		want string
	}{
		{ip: "8.8.8.8", want: ""},
		{ip: "1.1.1.1", want: ""},
		{ip: "2606:4700:4700::1111", want: ""},
		{ip: "::ffff:8.8.8.8", want: ""},
		{ip: "64:ff9b::808:808", want: ""},
		{ip: "172.32.0.1", want: ""},
		{ip: "100.128.0.1", want: ""},
		{ip: "127.0.0.1", want: "loopback"},
		{ip: "172.20.1.1", want: "private"},
		{ip: "100.127.255.255", want: "carrier-grade NAT"},
		{ip: "fe80::1%eth0", want: "link-local"},
		{ip: "ff02::1", want: "multicast"},
		{ip: "::ffff:192.168.0.1", want: "private"},
		{ip: "2002:a9fe:a9fe::1", want: "link-local"},
	}
	for _, tc := range tests {
		t.Run(tc.ip, func(t *testing.T) {
			if got := Classify(netip.MustParseAddr(tc.ip)); got != tc.want {
				t.Errorf("Classify(%s) = %q, want %q", tc.ip, got, tc.want)
			}
		})
	}
	if got := Classify(netip.Addr{}); got != "invalid" {
		t.Errorf("Classify(zero) = %q, want invalid", got)
	}
}

func TestReadAll(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int64
		want    string
		wantErr bool
	}{
		{name: "under", in: "abc", max: 5, want: "abc"},
		{name: "exact", in: "abcde", max: 5, want: "abcde"},
		{name: "over", in: "abcdef", max: 5, want: "abcde", wantErr: true},
		{name: "unlimited", in: "abcdef", max: -1, want: "abcdef"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadAll(strings.NewReader(tc.in), tc.max)
			if tc.wantErr != errors.Is(err, ErrTooLarge) {
				t.Errorf("ReadAll error = %v, want ErrTooLarge: %v", err, tc.wantErr)
			}
			if string(got) != tc.want {
				t.Errorf("ReadAll = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAllowFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		want    []string
		wantErr bool
	}{
		{name: "unset", env: ""},
		{name: "entries", env: " 10.0.0.0/8, 127.0.0.1:8080 ,,[::1]:9000,intranet.local, localhost:3000", want: []string{"10.0.0.0/8", "127.0.0.1:8080", "[::1]:9000", "intranet.local", "localhost:3000"}},
		{name: "bad port", env: "localhost:99999", wantErr: true},
		{name: "bad host", env: "http://example.com", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvAllow, tc.env)
			got, err := AllowFromEnv()
			if (err != nil) != tc.wantErr {
				t.Fatalf("AllowFromEnv error = %v, want error: %v", err, tc.wantErr)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("AllowFromEnv = %q, want %q", got, tc.want)
			}
		})
	}
}

// fakeDNS is a resolver answering A queries from a table (no AAAA
// records), speaking DNS over in-memory pipes: no network is used.
func fakeDNS(answers map[string]netip.Addr) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		go serveDNS(server, answers)
		return client, nil
	}}
}

// serveDNS answers length-prefixed (TCP style) DNS queries on c.
func serveDNS(c net.Conn, answers map[string]netip.Addr) {
	defer c.Close()
	for {
		var n [2]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		q := make([]byte, int(n[0])<<8|int(n[1]))
		if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
			return
		}
		// Question: labels from offset 12, then type and class.
		i, labels := 12, []string{}
		for i < len(q) && q[i] != 0 {
			l := int(q[i])
			labels = append(labels, string(q[i+1:i+1+l]))
			i += 1 + l
		}
		qtype := int(q[i+1])<<8 | int(q[i+2])
		qend := i + 5
		resp := append([]byte{}, q[:2]...)
		resp = append(resp, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0)
		resp = append(resp, q[12:qend]...)
		if ip, ok := answers[strings.Join(labels, ".")]; ok && qtype == 1 {
			resp[7] = 1 // one answer
			a := ip.As4()
			resp = append(resp, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, a[0], a[1], a[2], a[3])
		}
		if _, err := c.Write(append([]byte{byte(len(resp) >> 8), byte(len(resp))}, resp...)); err != nil {
			return
		}
	}
}

func TestResolvedAddressesChecked(t *testing.T) {
	resolver := fakeDNS(map[string]netip.Addr{
		"rebind.test": netip.MustParseAddr("10.0.0.7"),
		"meta.test":   netip.MustParseAddr("169.254.169.254"),
		"public.test": netip.MustParseAddr("93.184.216.34"),
	})
	var dialled []string
	dial := func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return nil, errors.New("test dialer: no network")
	}
	c := newClient(Options{Resolver: resolver}, dial)
	for _, host := range []string{"rebind.test", "meta.test"} {
		if _, err := get(t, c, "http://"+host+"/"); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), `host "`+host+`" resolves to`) {
			t.Errorf("GET %s: %v, want ErrForbidden naming the host", host, err)
		}
	}
	if len(dialled) != 0 {
		t.Errorf("dialled %v for refused hosts", dialled)
	}
	// A public name is dialled at the address that was checked, not
	// resolved again.
	if _, err := get(t, c, "http://public.test:8080/"); err == nil || errors.Is(err, ErrForbidden) {
		t.Errorf("GET public.test: %v, want the test dialer's error", err)
	}
	if want := []string{"93.184.216.34:8080"}; strings.Join(dialled, ",") != strings.Join(want, ",") {
		t.Errorf("dialled %v, want %v", dialled, want)
	}
}
