// Package server is Floe's HTTP API: Flowise's public /api/v1 surface on a
// standard library ServeMux, with one route table (routes.go), one error
// writer (errors.go) and auth that denies by default (auth.go).
package server

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/config"
	"github.com/floehq/floe/internal/credentials"
	"github.com/floehq/floe/internal/engine"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/speechtotext"
	"github.com/floehq/floe/internal/store"
)

// Deps are the services a [Server] is built from. All are required except
// Logger (slog.Default) and Version ("dev").
type Deps struct {
	Config      *config.Config
	Store       *store.DB
	Nodes       *node.Registry
	Credentials *credentials.Registry
	Cipher      *credentials.Cipher
	Logger      *slog.Logger
	Version     string
	// HTTPClient is used by nodes for vendor APIs (nil: a pooled client).
	HTTPClient *http.Client
	// SafeClient is the SSRF-guarded client for loaders and tools (nil:
	// such nodes refuse to fetch).
	SafeClient *http.Client
	// Blobs stores uploaded files (nil: the store STORAGE_TYPE selects,
	// see blob.Open).
	Blobs blob.Store
	// Transcriber runs speech to text for audio uploads; nil builds one
	// over HTTPClient and the credential store.
	Transcriber *speechtotext.Transcriber
}

// Server serves the API. It is safe for concurrent use.
type Server struct {
	cfg     *config.Config
	db      *store.DB
	nodes   *node.Registry
	creds   *credentials.Registry
	cipher  *credentials.Cipher
	log     *slog.Logger
	version string
	keys    *keyCache
	runs    *runs
	plans   *planCache
	blobs   blob.Store
	stt     *speechtotext.Transcriber
	limits  *limiter
	engine  *engine.Engine
	handler http.Handler
}

// New builds a Server and its route table.
func New(d Deps) (*Server, error) {
	s := &Server{
		cfg:     d.Config,
		db:      d.Store,
		nodes:   d.Nodes,
		creds:   d.Credentials,
		cipher:  d.Cipher,
		log:     d.Logger,
		version: d.Version,
		keys:    newKeyCache(),
		runs:    newRuns(),
		plans:   newPlanCache(),
		limits:  newLimiter(),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.version == "" {
		s.version = "dev"
	}
	hc := d.HTTPClient
	if hc == nil {
		hc = newVendorClient()
	}
	s.stt = d.Transcriber
	if s.stt == nil {
		s.stt = speechtotext.New(hc, credentialResolver{s})
		s.stt.Logger = s.log
	}
	s.blobs = d.Blobs
	if s.blobs == nil {
		b, err := blob.Open(s.cfg)
		if err != nil {
			return nil, err
		}
		s.blobs = b
	}
	s.engine = &engine.Engine{Nodes: s.nodes, Logger: s.log, HTTPClient: hc, SafeClient: d.SafeClient,
		Files: blob.FileReader{Store: s.blobs}, DataDir: s.cfg.DatabasePath, Memo: &memo{}}
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, s.wrap(rt))
	}
	s.handler = s.recoverAndLog(s.frameHeaders(s.cors(s.limitBody(s.jsonFallback(mux)))))
	return s, nil
}

// memo is the process-wide state nodes share between runs (node.Memo).
type memo struct{ m sync.Map }

func (m *memo) LoadOrStore(key string, value any) (any, bool) { return m.m.LoadOrStore(key, value) }
func (m *memo) Delete(key string)                             { m.m.Delete(key) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// newVendorClient is the HTTP client nodes use for model vendors (whose
// base URLs the flow's author chose, so no SSRF guard applies). It keeps
// enough idle connections per host for a busy server: the default
// transport keeps two, and every other request would dial again.
func newVendorClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t}
}

// handlerFunc is a handler that reports failure by returning an error;
// [Server.wrap] writes it with [writeError].
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// wrap applies the route's access rule, then runs its handler.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.access == admin {
			if err := s.authorizeAdmin(r); err != nil {
				writeError(w, r, s.log, err)
				return
			}
		}
		if err := rt.h(w, r); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}
