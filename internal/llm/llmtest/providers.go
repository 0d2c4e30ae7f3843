// Package llmtest holds test doubles for the llm vocabulary: httptest
// servers that speak the real wire formats of model vendors (OpenAI chat
// completions, Anthropic Messages, Gemini generateContent, Ollama chat), so
// that nodes, the engine and the server can be tested end to end without a
// network.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Request is one request a fake provider received.
type Request struct {
	Path   string
	Header http.Header
	Body   map[string]any
}

// Provider is a fake model vendor. By default it answers "echo: <last user
// message>" word by word, as the fake behind Flowise's own samples does.
type Provider struct {
	*httptest.Server
	// Answer, when set, computes the reply from the last user message.
	Answer func(lastUser string) string
	// Hold, when set, makes streaming replies stop after the first chunk
	// and wait until the request is cancelled (or Hold is closed).
	Hold chan struct{}
	// Cancelled receives the time a held request's context ended.
	Cancelled chan time.Time
	// Delay is slept before each streamed chunk.
	Delay time.Duration
	// FailStatus, when set, makes every request fail with this HTTP status
	// and a vendor-style JSON error body.
	FailStatus int

	mu sync.Mutex
	// guards requests
	requests []Request
}

// NewProvider starts a fake that serves all four wire formats, chosen by
// path: /chat/completions (OpenAI), /messages (Anthropic),
// :generateContent / :streamGenerateContent (Gemini), /api/chat (Ollama).
// It is closed when the test ends.
func NewProvider(t interface {
	Helper()
	Cleanup(func())
}) *Provider {
	t.Helper()
	p := &Provider{Cancelled: make(chan time.Time, 16)}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

// Requests returns the requests received so far.
func (p *Provider) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.requests...)
}

// Reset forgets the recorded requests.
func (p *Provider) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = nil
}

func (p *Provider) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		http.Error(w, `{"error":{"message":"invalid JSON body"}}`, http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.requests = append(p.requests, Request{Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	p.mu.Unlock()
	if p.FailStatus != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(p.FailStatus)
		fmt.Fprint(w, `{"error":{"message":"the fake provider was told to fail","type":"server_error","code":null}}`)
		return
	}
	if p.serveEmbeddings(w, r, body) {
		return
	}
	switch path := r.URL.Path; {
	case strings.HasSuffix(path, "/chat/completions"):
		p.openAI(w, r, body)
	case strings.HasSuffix(path, "/messages"):
		p.anthropic(w, r, body)
	case strings.Contains(path, ":generateContent"), strings.Contains(path, ":streamGenerateContent"):
		p.gemini(w, r, body)
	case strings.HasSuffix(path, "/api/chat"):
		p.ollama(w, r, body)
	default:
		http.Error(w, `{"error":"unknown path"}`, http.StatusNotFound)
	}
}

// words splits the reply into the chunks streamed: "echo: a b" →
// ["echo:", " a", " b"].
func words(s string) []string {
	var out []string
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			w = " " + w
		}
		out = append(out, w)
	}
	return out
}

func (p *Provider) reply(lastUser string) string {
	if p.Answer != nil {
		return p.Answer(lastUser)
	}
	return "echo: " + lastUser
}

// streamChunks writes each chunk with write, honouring Delay and Hold.
// It reports false when the client went away.
func (p *Provider) streamChunks(w http.ResponseWriter, r *http.Request, chunks []string, write func(i int, c string)) bool {
	fl, _ := w.(http.Flusher)
	for i, c := range chunks {
		if p.Delay > 0 {
			time.Sleep(p.Delay)
		}
		write(i, c)
		if fl != nil {
			fl.Flush()
		}
		if i == 0 && p.Hold != nil {
			select {
			case <-r.Context().Done():
				p.Cancelled <- time.Now()
				return false
			case <-p.Hold:
			}
		}
	}
	return true
}

func lastUserText(msgs []any, roleKey, userRole string, text func(m map[string]any) string) string {
	last := ""
	for _, m := range msgs {
		mm, _ := m.(map[string]any)
		if mm[roleKey] == userRole {
			last = text(mm)
		}
	}
	return last
}

func contentText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		var b strings.Builder
		for _, part := range t {
			pm, _ := part.(map[string]any)
			if s, ok := pm["text"].(string); ok {
				b.WriteString(s)
			}
		}
		return b.String()
	}
	return ""
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func tokens(s string) int { return len(strings.Fields(s)) + 1 }
