package embeddings

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

// This file holds the harness shared by the node tests. The vendor fake is
// llmtest.Provider, which answers embedding requests in every vendor's
// wire format with llmtest.Embed vectors; fake wraps it to also record
// query strings and to hold requests for the cancellation tests.

// fake is an llmtest.Provider behind a recording front.
type fake struct {
	*httptest.Server
	provider *llmtest.Provider
	// hold, when set, makes every request wait until the client goes
	// away, then report the time on done.
	hold bool
	done chan time.Time
	// arrived receives one value per request, before it is answered.
	arrived chan struct{}
	// failStatus, when set, answers every request with that status and
	// failBody, as a vendor's final error (no retry).
	failStatus int
	failBody   string

	mu      sync.Mutex // guards queries
	queries []string
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{provider: llmtest.NewProvider(t), done: make(chan time.Time, 16), arrived: make(chan struct{}, 256)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.RawQuery)
	f.mu.Unlock()
	f.arrived <- struct{}{}
	if f.failStatus != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-should-retry", "false")
		w.WriteHeader(f.failStatus)
		_, _ = io.WriteString(w, f.failBody)
		return
	}
	if f.hold {
		// The server notices a client going away only once the body is
		// read.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
			f.done <- time.Now()
		case <-time.After(5 * time.Second):
		}
		return
	}
	f.provider.Config.Handler.ServeHTTP(w, r)
}

// fakeCredentials resolves credential ids to their decrypted fields.
type fakeCredentials map[string]map[string]any

func (c fakeCredentials) Credential(_ context.Context, id string) (map[string]any, error) {
	fields, ok := c[id]
	if !ok {
		return nil, fmt.Errorf("no credential %q", id)
	}
	return fields, nil
}

// setEnv makes getenv read env instead of the process environment until
// the test ends. Tests in this package therefore never run in parallel.
func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	old := getenv
	getenv = func(k string) string { return env[k] }
	t.Cleanup(func() { getenv = old })
}

// withURL returns env with {{URL}} replaced by url in every value.
func withURL(env map[string]string, url string) map[string]string {
	out := make(map[string]string, len(env))
	for k, v := range env {
		out[k] = strings.ReplaceAll(v, "{{URL}}", url)
	}
	return out
}

// newEmbedder builds def's instance from data and creds (with {{URL}}
// replaced in both) and checks that it is an llm.Embedder.
func newEmbedder(t *testing.T, def node.Definition, data, url string, creds map[string]any, client *http.Client) llm.Embedder {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(strings.ReplaceAll(data, "{{URL}}", url)), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	fields := make(map[string]any, len(creds))
	for k, v := range creds {
		if s, ok := v.(string); ok {
			v = strings.ReplaceAll(s, "{{URL}}", url)
		}
		fields[k] = v
	}
	rt := &node.Runtime{HTTPClient: client, Credentials: fakeCredentials{"cred-1": fields}}
	inst, err := def.Init(t.Context(), &d, rt)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	e, ok := inst.(llm.Embedder)
	if !ok {
		t.Fatalf("Init returned %T, want an llm.Embedder", inst)
	}
	return e
}

// sample are the texts most cases embed; the first has a newline that
// some nodes strip.
var sample = []string{
	"The capital of France is Paris.\nIt lies on the Seine.",
	"Go is a statically typed, compiled language.",
	"Flowise builds LLM apps with a drag and drop UI.",
}

// stripped is sample with newlines replaced by spaces.
var stripped = []string{
	"The capital of France is Paris. It lies on the Seine.",
	sample[1],
	sample[2],
}

// numbered returns n distinct texts that sort in order.
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("text %03d about topic %d", i, i)
	}
	return out
}

// strs converts texts to the []any a decoded JSON body holds.
func strs(texts []string) []any {
	out := make([]any, len(texts))
	for i, t := range texts {
		out[i] = t
	}
	return out
}

// embedCase drives one node through Init and Embed against the fake.
type embedCase struct {
	name string
	// data is the node's saved configuration; {{URL}} becomes the fake's
	// URL.
	data string
	// env holds getenv's values; {{URL}} becomes the fake's URL.
	env map[string]string
	// creds are the fields of credential "cred-1".
	creds map[string]any
	// texts defaults to sample.
	texts []string
	// sent is texts as the vendor must receive them (default texts).
	sent []string
	// dims is the size of the vectors (default llmtest.DefaultDims).
	dims int

	wantPath   string
	wantQuery  string
	wantHeader map[string]string // "" means the header must be absent
	// wantBodies are the request bodies, ordered by their first text.
	wantBodies []map[string]any
}

// runEmbedCases runs each case against a fresh fake.
func runEmbedCases(t *testing.T, def node.Definition, cases []embedCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			setEnv(t, withURL(tc.env, f.URL))
			e := newEmbedder(t, def, tc.data, f.URL, tc.creds, f.Client())
			texts := orTexts(tc.texts, sample)
			got, err := e.Embed(t.Context(), texts)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			want := make([][]float32, len(texts))
			for i, s := range orTexts(tc.sent, texts) {
				want[i] = llmtest.Embed(s, tc.dims)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("vectors (-want +got):\n%s", diff)
			}
			reqs := f.provider.Requests()
			slices.SortFunc(reqs, func(a, b llmtest.Request) int { return strings.Compare(firstText(a.Body), firstText(b.Body)) })
			var bodies []map[string]any
			for _, r := range reqs {
				bodies = append(bodies, r.Body)
				if r.Path != tc.wantPath {
					t.Errorf("path = %q, want %q", r.Path, tc.wantPath)
				}
				for k, want := range tc.wantHeader {
					if v := r.Header.Get(k); v != want {
						t.Errorf("header %s = %q, want %q", k, v, want)
					}
				}
			}
			if diff := cmp.Diff(tc.wantBodies, bodies); diff != "" {
				t.Errorf("request bodies (-want +got):\n%s", diff)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			for _, q := range f.queries {
				if q != tc.wantQuery {
					t.Errorf("query = %q, want %q", q, tc.wantQuery)
				}
			}
		})
	}
}

// firstText returns the first text of an embedding request body, in any
// vendor's format.
func firstText(body map[string]any) string {
	for _, key := range []string{"input", "texts", "requests"} {
		switch v := body[key].(type) {
		case string:
			return v
		case []any:
			if len(v) == 0 {
				return ""
			}
			if s, ok := v[0].(string); ok {
				return s
			}
			req, _ := v[0].(map[string]any)
			content, _ := req["content"].(map[string]any)
			parts, _ := content["parts"].([]any)
			if len(parts) > 0 {
				part, _ := parts[0].(map[string]any)
				s, _ := part["text"].(string)
				return s
			}
		}
	}
	return ""
}

// orTexts returns texts, or def when texts is nil.
func orTexts(texts, def []string) []string {
	if texts == nil {
		return def
	}
	return texts
}

// nodeData decodes a node.Data JSON snippet.
func nodeData(t *testing.T, data string) *node.Data {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	return &d
}

// runtime is a Runtime whose credential "cred-1" has creds.
func runtime(creds map[string]any) *node.Runtime {
	return &node.Runtime{Credentials: fakeCredentials{"cred-1": creds}}
}
