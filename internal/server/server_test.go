package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/config"
	"github.com/floehq/floe/internal/credentials"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/nodes/all"
	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

// testEnv is a Server over a real database, called in-process.
type testEnv struct {
	t      testing.TB
	srv    *Server
	db     *store.DB
	cfg    *config.Config
	secret string
	// adminKey is the first key newKey made; loopback sends it.
	adminKey string
}

// newEnv builds a server on a fresh database of the given dialect. extra
// are KEY=value settings on top of a temp DATABASE_PATH.
func newEnv(t testing.TB, dialect string, extra ...string) *testEnv {
	t.Helper()
	db := storetest.Open(t, dialect)
	return newEnvOn(t, db, "test-secret-key", extra...)
}

func newEnvOn(t testing.TB, db *store.DB, secret string, extra ...string) *testEnv {
	t.Helper()
	return newEnvWith(t, db, secret, nil, extra...)
}

// newEnvWith is newEnvOn with a hook to adjust the server's dependencies.
func newEnvWith(t testing.TB, db *store.DB, secret string, adjust func(*Deps), extra ...string) *testEnv {
	t.Helper()
	cfg, err := config.FromEnv(append([]string{"DATABASE_PATH=" + t.TempDir()}, extra...))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	cipher, err := credentials.NewCipher(secret)
	if err != nil {
		t.Fatalf("cipher: %v", err)
	}
	nodes := node.NewRegistry()
	all.Register(nodes)
	creds := credentials.NewRegistry()
	credentials.Register(creds)
	deps := Deps{Config: cfg, Store: db, Nodes: nodes, Credentials: creds, Cipher: cipher, Version: "test"}
	if adjust != nil {
		adjust(&deps)
	}
	srv, err := New(deps)
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	return &testEnv{t: t, srv: srv, db: db, cfg: cfg, secret: secret}
}

// req describes one request; RemoteAddr defaults to a non-loopback address.
type req struct {
	method, path string
	body         any // string, []byte or a value to encode as JSON
	key          string
	header       map[string]string
	remote       string
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

func (e *testEnv) do(rq req) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := rq.body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("encoding body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	r := httptest.NewRequest(rq.method, rq.path, rd)
	if rd != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if rq.key != "" {
		r.Header.Set("Authorization", "Bearer "+rq.key)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	r.RemoteAddr = "203.0.113.7:5555"
	if rq.remote != "" {
		r.RemoteAddr = rq.remote
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return resp{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

// loopback sends a request from 127.0.0.1, which is admin while no key exists.
func (e *testEnv) loopback(method, path string, body any) resp {
	e.t.Helper()
	return e.do(req{method: method, path: path, body: body, remote: "127.0.0.1:4000", key: e.adminKey})
}

// mustOK fails the test unless the response is 200 and decodes it into v.
func (e *testEnv) mustOK(r resp, v any) {
	e.t.Helper()
	if r.status != http.StatusOK {
		e.t.Fatalf("got status %d (%s), want 200", r.status, r.body)
	}
	if v != nil {
		r.json(e.t, v)
	}
}

// newKey creates an API key (from loopback) and returns its plaintext and id.
func (e *testEnv) newKey(name string, auth string) (key, id string) {
	e.t.Helper()
	rq := req{method: "POST", path: "/api/v1/apikey", body: map[string]any{"keyName": name}, remote: "127.0.0.1:4000", key: auth}
	var v apiKeyView
	e.mustOK(e.do(rq), &v)
	if e.adminKey == "" {
		e.adminKey = v.APIKey
	}
	return v.APIKey, v.ID
}

// sharedDir is ../shared beside the checkout (FLOE_SHARED_DIR overrides).
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("FLOE_SHARED_DIR"); d != "" {
		return d
	}
	d, err := filepath.Abs("../../../shared")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("shared directory %s not found beside the checkout (set FLOE_SHARED_DIR): %v", d, err)
	}
	return d
}

// minimalFlow is a valid flowData with one chat model and one chain.
const minimalFlow = `{"nodes":[{"id":"chatOpenAI_0","type":"customNode","position":{"x":0,"y":0},"data":{"id":"chatOpenAI_0","name":"chatOpenAI","label":"ChatOpenAI","category":"Chat Models","inputs":{}}},{"id":"llmChain_0","type":"customNode","position":{"x":1,"y":1},"data":{"id":"llmChain_0","name":"llmChain","label":"LLM Chain","category":"Chains","inputs":{"model":"{{chatOpenAI_0.data.instance}}"}}}],"edges":[{"id":"e1","source":"chatOpenAI_0","sourceHandle":"chatOpenAI_0-output-chatOpenAI-ChatOpenAI","target":"llmChain_0","targetHandle":"llmChain_0-input-model-BaseChatModel","type":"buttonedge"}]}`

func TestPing(t *testing.T) {
	e := newEnv(t, "sqlite")
	r := e.do(req{method: "GET", path: "/api/v1/ping"})
	if r.status != 200 || string(r.body) != "pong" {
		t.Errorf("got %d %q, want 200 \"pong\"", r.status, r.body)
	}
	r = e.do(req{method: "GET", path: "/api/v1/version"})
	var v map[string]string
	e.mustOK(r, &v)
	if v["version"] != "test" {
		t.Errorf("got version %q, want %q", v["version"], "test")
	}
}
