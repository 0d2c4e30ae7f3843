package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/crypto/scrypt"

	"github.com/floehq/floe/internal/store"
)

// authorizeAdmin is the gate in front of every admin route: an API key as
// "Authorization: Bearer <key>", or HTTP Basic with FLOWISE_USERNAME and
// FLOWISE_PASSWORD when both are set. While no API key exists and Basic is
// not configured, requests from loopback addresses pass without
// credentials, so a fresh local install can create its first key.
func (s *Server) authorizeAdmin(r *http.Request) error {
	authz := r.Header.Get("Authorization")
	if user, pass, ok := r.BasicAuth(); ok && s.cfg.BasicAuthEnabled() {
		u := subtle.ConstantTimeCompare([]byte(user), []byte(s.cfg.Username))
		p := subtle.ConstantTimeCompare([]byte(pass), []byte(s.cfg.Password))
		if u&p == 1 {
			return nil
		}
		return errUnauthorized
	}
	if key := bearerKey(authz); key != "" {
		if _, err := s.verifyAPIKey(r.Context(), key); err != nil {
			return err
		}
		return nil
	}
	if authz != "" || s.cfg.BasicAuthEnabled() || !isLoopback(r.RemoteAddr) {
		return errUnauthorized
	}
	has, err := s.db.HasAPIKeys(r.Context())
	if err != nil {
		return fmt.Errorf("checking for api keys: %w", err)
	}
	if has {
		return errUnauthorized
	}
	return nil
}

// bearerKey reads the key from an Authorization header the way Flowise
// does: the text after "Bearer ", or the whole value when there is no such
// prefix (a Basic header is never a key).
func bearerKey(authz string) string {
	authz = strings.TrimSpace(authz)
	if authz == "" || strings.HasPrefix(authz, "Basic ") {
		return ""
	}
	if i := strings.LastIndex(authz, "Bearer "); i >= 0 {
		authz = authz[i+len("Bearer "):]
	}
	return strings.TrimSpace(authz)
}

// isLoopback reports whether a RemoteAddr is a loopback address. Proxy
// headers are ignored on purpose: they are set by the caller.
func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Flowise's API key format (reference §8.1): 32 random bytes as base64url,
// stored as hex(scrypt(key, salt, N=16384, r=8, p=1, 64)) + "." + salt,
// salt being 8 random bytes as hex (the hex text is the scrypt salt).
const (
	scryptN      = 16384
	scryptR      = 8
	scryptP      = 1
	scryptKeyLen = 64
)

// newAPIKey returns a fresh key, its stored secret and its lookup hash.
func newAPIKey() (key, secret, lookup string, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", "", "", fmt.Errorf("generating api key: %w", err)
	}
	key = base64.RawURLEncoding.EncodeToString(raw)
	salt := make([]byte, 8)
	if _, err := rand.Read(salt); err != nil {
		return "", "", "", fmt.Errorf("generating api key salt: %w", err)
	}
	secret, err = hashAPIKey(key, hex.EncodeToString(salt))
	if err != nil {
		return "", "", "", err
	}
	return key, secret, keyLookupHash(key), nil
}

func hashAPIKey(key, saltHex string) (string, error) {
	dk, err := scrypt.Key([]byte(key), []byte(saltHex), scryptN, scryptR, scryptP, scryptKeyLen)
	if err != nil {
		return "", fmt.Errorf("hashing api key: %w", err)
	}
	return hex.EncodeToString(dk) + "." + saltHex, nil
}

// keyLookupHash is the indexed column a presented key is found by.
func keyLookupHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// keyPreview masks a key for listings: its first and last four characters.
func keyPreview(key string) string {
	if len(key) < 12 {
		return strings.Repeat("*", len(key))
	}
	return key[:4] + "…" + key[len(key)-4:]
}

// verifySecret checks key against a stored "hash.salt" secret in constant time.
func verifySecret(key, stored string) bool {
	hashHex, saltHex, ok := strings.Cut(stored, ".")
	if !ok {
		return false
	}
	want, err := hex.DecodeString(hashHex)
	if err != nil || len(want) != scryptKeyLen {
		return false
	}
	got, err := scrypt.Key([]byte(key), []byte(saltHex), scryptN, scryptR, scryptP, scryptKeyLen)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, want) == 1
}

// keyCache remembers which stored secret a presented key was last verified
// against, so the ~50 ms scrypt runs once per key rather than per request.
// The row is still read on every request, so a deleted or replaced key is
// refused at once, on every replica.
type keyCache struct {
	mu sync.Mutex
	// guards verified: lookup hash → the stored secret it matched
	verified map[string]string
}

const keyCacheMax = 10000

func newKeyCache() *keyCache { return &keyCache{verified: make(map[string]string)} }

func (c *keyCache) ok(lookup, secret string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, found := c.verified[lookup]
	return found && subtle.ConstantTimeCompare([]byte(v), []byte(secret)) == 1
}

func (c *keyCache) put(lookup, secret string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.verified) >= keyCacheMax {
		clear(c.verified)
	}
	c.verified[lookup] = secret
}

// verifyAPIKey returns the stored key matching the presented plaintext, or
// errUnauthorized.
func (s *Server) verifyAPIKey(ctx context.Context, key string) (*store.APIKey, error) {
	if key == "" || len(key) > 256 {
		return nil, errUnauthorized
	}
	lookup := keyLookupHash(key)
	k, err := s.db.GetAPIKeyByHash(ctx, lookup)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, fmt.Errorf("looking up api key: %w", err)
	}
	if s.keys.ok(lookup, k.APISecret) {
		return k, nil
	}
	if !verifySecret(key, k.APISecret) {
		return nil, errUnauthorized
	}
	s.keys.put(lookup, k.APISecret)
	return k, nil
}
