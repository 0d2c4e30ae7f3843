package node

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/floehq/floe/internal/llm"
)

// Definition is one node type: its static [Spec], its constructor and its
// option loaders. Each node file declares one Definition value and its
// category's register.go passes it to [Registry.MustRegister].
type Definition struct {
	// Spec describes the node to the UI and to flow validation.
	Spec Spec
	// Init builds an instance from a node's saved configuration. Required.
	Init InitFunc
	// Load holds the option loaders named by the LoadMethod of the spec's
	// params (Flowise's loadMethods). Nil when the node has none.
	Load map[string]LoadFunc
}

// InitFunc builds a node instance: Flowise's init(). It reads the node's
// configuration from data, takes services from rt and returns an instance
// that implements an interface from package llm (a chat model, a retriever,
// ...). Ending nodes return an instance that also implements [Runner].
//
// Init may be called concurrently for different flows and must not keep
// data after returning except through the values it copied out of it.
type InitFunc func(ctx context.Context, data *Data, rt *Runtime) (any, error)

// LoadFunc lists the choices of an async dropdown: one entry of Flowise's
// loadMethods. It is called without an instance, with whatever inputs the
// UI has filled in so far (for example the credential to list models with).
type LoadFunc func(ctx context.Context, data *Data, rt *Runtime) ([]Option, error)

// Runtime carries the services a node may use during Init and Run. It is
// built by the engine for each run; nodes never reach for globals. The zero
// value is usable: a nil Logger or HTTPClient means the node should use
// [slog.Default] or [http.DefaultClient] via [Runtime.Log] and
// [Runtime.Client].
type Runtime struct {
	// Logger receives the node's diagnostic logs.
	Logger *slog.Logger
	// HTTPClient is the client for outbound calls to vendor APIs.
	HTTPClient *http.Client
	// ChatflowID is the id of the flow being run.
	ChatflowID string
	// ChatID identifies the conversation; SessionID keys memory nodes
	// (Flowise defaults it to ChatID).
	ChatID    string
	SessionID string
	// Vars holds the values of $vars.<name> references.
	Vars map[string]string
	// Question is the user's input of this run (Flowise passes it to
	// init); nodes that produce a value at build time, such as an LLM
	// Chain with the outputPrediction output, use it.
	Question string
	// Credentials decrypts the credential a node selected; nil when no
	// credential store is available.
	Credentials CredentialResolver
	// History reads stored chat turns for memory nodes; nil outside a
	// server.
	History llm.HistoryReader
	// Emitter receives a node's streaming events during Init-time runs
	// (nil means discard).
	Emitter Emitter
	// SafeClient is the SSRF-guarded client for URLs that come from flow
	// inputs, chat users, loaders and tools (never loopback, private or
	// link-local addresses unless allow-listed). Nil means none is
	// available: such nodes must refuse rather than fall back.
	SafeClient *http.Client
	// Files reads files stored for the flow (FILE-STORAGE:: references).
	Files FileReader
	// DataDir is the server's data directory (embedded stores live there).
	DataDir string
	// Memo is per-process state shared between runs of the server (for
	// example an in-memory vector store's contents); nil outside a server.
	Memo Memo
	// Upsert is true when the flow runs for the Vector Upsert API rather
	// than a prediction.
	Upsert bool
}

// FileReader reads a file stored for a chatflow by its stored name.
type FileReader interface {
	ReadFile(ctx context.Context, chatflowID, name string) ([]byte, error)
}

// Memo is a concurrency-safe key/value store living as long as the server
// process. Keys are namespaced by the caller (e.g. "<chatflowId>/<nodeId>").
// LoadOrStore returns the existing value for key, or stores and returns
// value.
type Memo interface {
	LoadOrStore(key string, value any) (actual any, loaded bool)
	Delete(key string)
}

// CredentialResolver returns the decrypted fields of a stored credential.
// An unknown id is an error.
type CredentialResolver interface {
	Credential(ctx context.Context, id string) (map[string]any, error)
}

// CredentialParam returns a credential field as Flowise's
// getCredentialParam does: an input of the same name wins over the stored
// credential's field; "" when neither has it. The credential is the one
// data.Credential names (or inputs.credentialId).
func CredentialParam(ctx context.Context, data *Data, rt *Runtime, key string) (string, error) {
	if v, err := data.String(key, ""); err != nil {
		return "", err
	} else if v != "" {
		return v, nil
	}
	id := data.Credential
	if id == "" {
		id, _ = data.String("credentialId", "")
	}
	if id == "" || rt == nil || rt.Credentials == nil {
		return "", nil
	}
	fields, err := rt.Credentials.Credential(ctx, id)
	if err != nil {
		return "", fmt.Errorf("node %s: reading credential %s: %w", data.ID, id, err)
	}
	switch v := fields[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return fmt.Sprint(v), nil
	}
}

// Emit sends e to rt.Emitter, or drops it when there is none.
func (rt *Runtime) Emit(e Event) error {
	if rt == nil || rt.Emitter == nil {
		return nil
	}
	return rt.Emitter.Emit(e)
}

// Log returns rt.Logger, or [slog.Default] when it is nil (or rt is nil).
func (rt *Runtime) Log() *slog.Logger {
	if rt == nil || rt.Logger == nil {
		return slog.Default()
	}
	return rt.Logger
}

// Client returns rt.HTTPClient, or [http.DefaultClient] when it is nil (or rt
// is nil).
func (rt *Runtime) Client() *http.Client {
	if rt == nil || rt.HTTPClient == nil {
		return http.DefaultClient
	}
	return rt.HTTPClient
}
