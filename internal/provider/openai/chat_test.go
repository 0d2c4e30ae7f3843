package openai

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
)

// fake is a chat completions server replaying fixtures from testdata.
type fake struct {
	srv    *httptest.Server
	got    chan captured
	status int    // error status to answer with; 0 answers with a fixture
	file   string // fixture answering a streamed call
	hold   bool   // send the first event of file, then keep the stream open
	done   chan time.Time
}

// captured is what the fake saw of one request.
type captured struct {
	path, query string
	header      http.Header
	body        map[string]any
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{got: make(chan captured, 8), file: "stream.sse", done: make(chan time.Time, 1)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	f.got <- captured{path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), body: body}
	if f.status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-should-retry", "false")
		w.WriteHeader(f.status)
		_, _ = w.Write(fixture(fmt.Sprintf("error_%d.json", f.status)))
		return
	}
	if body["stream"] != true {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(fixture("completion.json"))
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	data := fixture(f.file)
	if !f.hold {
		_, _ = w.Write(data)
		return
	}
	first, _, _ := bytes.Cut(data, []byte("\n\n"))
	second, _, _ := bytes.Cut(data[len(first)+2:], []byte("\n\n"))
	_, _ = w.Write(append(append(first, "\n\n"...), append(second, "\n\n"...)...))
	w.(http.Flusher).Flush()
	select {
	case <-r.Context().Done():
		f.done <- time.Now()
	case <-time.After(5 * time.Second):
	}
}

// fixture reads testdata/name.
func fixture(name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return b
}

func ptr(f float64) *float64 { return &f }

var conversation = llm.ChatRequest{Messages: []llm.Message{
	{Role: llm.RoleSystem, Content: "Be brief."},
	{Role: llm.RoleUser, Content: "Hi"},
	{Role: llm.RoleAssistant, Content: "Hello."},
	{Role: llm.RoleUser, Content: "Greet me"},
}}

var wantMessages = []any{
	map[string]any{"role": "system", "content": "Be brief."},
	map[string]any{"role": "user", "content": "Hi"},
	map[string]any{"role": "assistant", "content": "Hello."},
	map[string]any{"role": "user", "content": "Greet me"},
}

func TestChatModelStream(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		req       llm.ChatRequest
		file      string
		wantPath  string
		wantAuth  string
		wantQuery string
		wantBody  map[string]any
		wantText  string
		wantUsage *llm.Usage
	}{
		{
			name: "streamed with every option",
			cfg: Config{
				APIKey: "sk-test", Model: "gpt-4o-mini", Temperature: ptr(0.2), TopP: ptr(0.5),
				FrequencyPenalty: ptr(0.1), PresencePenalty: ptr(0.3), MaxTokens: 64, MaxTokensField: MaxCompletionTokens,
				Stop: []string{"END"}, Streaming: true, IncludeUsage: true, ReasoningEffort: "low",
				Extra: map[string]any{"random_seed": 7},
			},
			req:      conversation,
			wantPath: "/v1/chat/completions",
			wantAuth: "Bearer sk-test",
			wantBody: map[string]any{
				"model": "gpt-4o-mini", "messages": wantMessages, "temperature": 0.2, "top_p": 0.5,
				"frequency_penalty": 0.1, "presence_penalty": 0.3, "max_completion_tokens": float64(64),
				"stop": []any{"END"}, "stream": true, "stream_options": map[string]any{"include_usage": true},
				"reasoning_effort": "low", "random_seed": float64(7),
			},
			wantText:  "Hello there!",
			wantUsage: &llm.Usage{InputTokens: 19, OutputTokens: 3, TotalTokens: 22},
		},
		{
			name:     "not streamed, legacy max_tokens, request stop wins",
			cfg:      Config{Model: "m", MaxTokens: 10, Stop: []string{"a"}},
			req:      llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Hi"}}, Stop: []string{"b"}},
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{
				"model": "m", "messages": []any{map[string]any{"role": "user", "content": "Hi"}},
				"max_tokens": float64(10), "stop": []any{"b"},
			},
			wantText:  "Hello there!",
			wantUsage: &llm.Usage{InputTokens: 19, OutputTokens: 3, TotalTokens: 22},
		},
		{
			name:      "azure style: header key, query, no bearer, stop omitted",
			cfg:       Config{Model: "dep", Headers: map[string]string{"api-key": "az"}, Query: map[string]string{"api-version": "2024-10-21"}, Stop: []string{"x"}, OmitStop: true, Streaming: true},
			req:       llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Hi"}}, Stop: []string{"y"}},
			wantPath:  "/v1/chat/completions",
			wantQuery: "api-version=2024-10-21",
			wantBody: map[string]any{
				"model": "dep", "messages": []any{map[string]any{"role": "user", "content": "Hi"}}, "stream": true,
			},
			wantText:  "Hello there!",
			wantUsage: &llm.Usage{InputTokens: 19, OutputTokens: 3, TotalTokens: 22},
		},
		{
			name:     "groq usage in x_groq",
			cfg:      Config{Model: "llama", Streaming: true},
			req:      llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Hi"}}},
			file:     "stream_groq.sse",
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{
				"model": "llama", "messages": []any{map[string]any{"role": "user", "content": "Hi"}}, "stream": true,
			},
			wantText:  "Hi",
			wantUsage: &llm.Usage{InputTokens: 8, OutputTokens: 1, TotalTokens: 9},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			if tc.file != "" {
				f.file = tc.file
			}
			cfg := tc.cfg
			cfg.Node, cfg.Provider, cfg.BaseURL, cfg.HTTPClient = "testNode", "openai", f.srv.URL+"/v1", f.srv.Client()
			m, err := New(cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			text, u, err := llm.Collect(m.Stream(t.Context(), tc.req))
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			got := <-f.got
			if got.path != tc.wantPath {
				t.Errorf("path = %q, want %q", got.path, tc.wantPath)
			}
			if got.query != tc.wantQuery {
				t.Errorf("query = %q, want %q", got.query, tc.wantQuery)
			}
			if a := got.header.Get("Authorization"); a != tc.wantAuth {
				t.Errorf("Authorization = %q, want %q", a, tc.wantAuth)
			}
			if diff := cmp.Diff(tc.wantBody, got.body); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
			if text != tc.wantText {
				t.Errorf("text = %q, want %q", text, tc.wantText)
			}
			if diff := cmp.Diff(tc.wantUsage, u); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChatModelImages(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	pngURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	text := func(s string) any { return map[string]any{"type": "text", "text": s} }
	image := func(url, detail string) any {
		iu := map[string]any{"url": url}
		if detail != "" {
			iu["detail"] = detail
		}
		return map[string]any{"type": "image_url", "image_url": iu}
	}
	tests := []struct {
		name    string
		msgs    []llm.Message
		want    []any
		wantErr string
	}{
		{
			name: "data image after the text, as a data URL",
			msgs: []llm.Message{{Role: llm.RoleUser, Content: "What is this?", Images: []llm.Image{{MIME: "image/png", Data: png}}}},
			want: []any{map[string]any{"role": "user", "content": []any{text("What is this?"), image(pngURL, "")}}},
		},
		{
			name: "untyped data sniffed, URL passed through, detail sent",
			msgs: []llm.Message{{Role: llm.RoleUser, Content: "Compare", Images: []llm.Image{
				{Data: png, Detail: "low"},
				{MIME: "image/jpeg", URL: "https://example.com/cat.jpg", Detail: "high"},
				{MIME: "image/webp", URL: "https://example.com/dog.webp", Detail: "auto"},
			}}},
			want: []any{map[string]any{"role": "user", "content": []any{
				text("Compare"), image(pngURL, "low"), image("https://example.com/cat.jpg", "high"), image("https://example.com/dog.webp", "auto"),
			}}},
		},
		{
			name: "images only: no empty text part",
			msgs: []llm.Message{{Role: llm.RoleUser, Images: []llm.Image{{MIME: "image/png", Data: png}}}},
			want: []any{map[string]any{"role": "user", "content": []any{image(pngURL, "")}}},
		},
		{
			name: "history: images on an earlier turn only, none on other roles",
			msgs: []llm.Message{
				{Role: llm.RoleSystem, Content: "Be brief.", Images: []llm.Image{{MIME: "image/png", Data: png}}},
				{Role: llm.RoleUser, Content: "What is this?", Images: []llm.Image{{MIME: "image/png", Data: png}}},
				{Role: llm.RoleAssistant, Content: "A cat.", Images: []llm.Image{{MIME: "image/png", Data: png}}},
				{Role: llm.RoleUser, Content: "Sure?"},
			},
			want: []any{
				map[string]any{"role": "system", "content": "Be brief."},
				map[string]any{"role": "user", "content": []any{text("What is this?"), image(pngURL, "")}},
				map[string]any{"role": "assistant", "content": "A cat."},
				map[string]any{"role": "user", "content": "Sure?"},
			},
		},
		{
			name:    "image with neither data nor URL",
			msgs:    []llm.Message{{Role: llm.RoleUser, Content: "x"}, {Role: llm.RoleUser, Content: "y", Images: []llm.Image{{MIME: "image/png"}}}},
			wantErr: "testNode: message 1: image 0: image has neither data nor URL",
		},
	}
	for _, tc := range tests {
		for _, streaming := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/streaming=%v", tc.name, streaming), func(t *testing.T) {
				f := newFake(t)
				m, err := New(Config{Node: "testNode", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client(), Model: "gpt-4o", Streaming: streaming})
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				text, _, err := llm.Collect(m.Stream(t.Context(), llm.ChatRequest{Messages: tc.msgs}))
				if tc.wantErr != "" {
					if err == nil || err.Error() != tc.wantErr {
						t.Errorf("Stream error = %v, want %q", err, tc.wantErr)
					}
					if len(f.got) != 0 {
						t.Errorf("the server was called despite the image error")
					}
					return
				}
				if err != nil || text != "Hello there!" {
					t.Fatalf("Stream = %q, %v; want the fixture's answer", text, err)
				}
				got := <-f.got
				if diff := cmp.Diff(tc.want, got.body["messages"]); diff != "" {
					t.Errorf("messages (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestChatModelErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		streaming bool
		req       llm.ChatRequest
		want      []string
	}{
		{name: "401 streamed", status: 401, streaming: true, req: conversation, want: []string{"testNode: calling groq", "401", "Incorrect API key"}},
		{name: "500 plain", status: 500, req: conversation, want: []string{"testNode: calling groq", "500"}},
		{name: "tool role", req: llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleTool, Content: "x"}}}, want: []string{`unsupported role "tool"`}},
		{name: "no messages", want: []string{"no messages"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.status = tc.status
			m, err := New(Config{Node: "testNode", Provider: "groq", BaseURL: f.srv.URL, HTTPClient: f.srv.Client(), Model: "m", Streaming: tc.streaming})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			_, _, err = llm.Collect(m.Stream(t.Context(), tc.req))
			if err == nil {
				t.Fatalf("Stream succeeded, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestChatModelCancel(t *testing.T) {
	f := newFake(t)
	f.hold = true
	m, err := New(Config{Node: "n", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client(), Model: "m", Streaming: true})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelled time.Time
	var chunks int
	var last error
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for c, err := range m.Stream(ctx, conversation) {
			if err != nil {
				last = err
				continue
			}
			if c.Content != "" && chunks == 0 {
				cancelled = time.Now()
				cancel()
			}
			chunks++
		}
	}()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Fatalf("Stream did not return after cancel")
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("last error = %v, want context.Canceled", last)
	}
	select {
	case done := <-f.done:
		if d := done.Sub(cancelled); d > 100*time.Millisecond {
			t.Errorf("server saw the cancel after %v, want under 100ms", d)
		}
	case <-time.After(time.Second):
		t.Errorf("server request context not done after cancel")
	}
}

func TestChatModelBreakClosesStream(t *testing.T) {
	f := newFake(t)
	f.hold = true
	m, err := New(Config{Node: "n", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client(), Model: "m", Streaming: true})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for c, err := range m.Stream(t.Context(), conversation) {
		if err != nil {
			t.Fatalf("Stream: %v", err)
		}
		if c.Content != "" {
			break
		}
	}
	select {
	case <-f.done:
	case <-time.After(time.Second):
		t.Errorf("server request still open after the consumer stopped")
	}
}

func TestChatModelTimeout(t *testing.T) {
	f := newFake(t)
	f.hold = true
	m, err := New(Config{Node: "n", Provider: "openai", BaseURL: f.srv.URL, HTTPClient: f.srv.Client(), Model: "m", Streaming: true, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, _, err = llm.Collect(m.Stream(t.Context(), conversation))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Errorf("error = %v, want a timeout after 50ms", err)
	}
}

func TestNewNeedsBaseURL(t *testing.T) {
	if _, err := New(Config{Node: "n", Provider: "p", Model: "m"}); err == nil || err.Error() != "n: no base URL for p" {
		t.Errorf("New without a base URL: error %v, want \"n: no base URL for p\"", err)
	}
}
