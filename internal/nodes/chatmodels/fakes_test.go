package chatmodels

import (
	"bytes"
	"context"
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
	"github.com/floehq/floe/internal/node"
)

// This file holds the vendor fakes shared by the node tests: an httptest
// server that records each request and answers with a fixture from
// testdata/<vendor>/, written from the vendors' API documentation.

// gotRequest is what a fake saw of one request.
type gotRequest struct {
	Method, Path, Query string
	Header              http.Header
	Body                map[string]any
}

// reply is a fake's answer: a fixture file served with a status.
type reply struct {
	status      int
	contentType string
	file        string // path under testdata
}

// fake is a vendor API on loopback. With hold set it sends the fixture up
// to the end of the first event carrying text, then keeps the response
// open until the client goes away, reporting when that happened on done.
type fake struct {
	*httptest.Server
	reqs  chan gotRequest
	reply func(gotRequest) reply
	hold  bool
	done  chan time.Time
}

func newFake(t *testing.T, answer func(gotRequest) reply) *fake {
	t.Helper()
	f := &fake{reqs: make(chan gotRequest, 16), reply: answer, done: make(chan time.Time, 1)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	g := gotRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
	_ = json.Unmarshal(raw, &g.Body)
	f.reqs <- g
	rep := f.reply(g)
	data, err := os.ReadFile(filepath.Join("testdata", rep.file))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", rep.contentType)
	if rep.status >= 400 {
		// Tell retrying SDKs not to retry, as vendors do for final errors.
		w.Header().Set("x-should-retry", "false")
	}
	w.WriteHeader(cmpOr(rep.status, http.StatusOK))
	if !f.hold || rep.status >= 400 {
		_, _ = w.Write(data)
		return
	}
	_, _ = w.Write(firstTextEvent(data))
	w.(http.Flusher).Flush()
	select {
	case <-r.Context().Done():
		f.done <- time.Now()
	case <-time.After(5 * time.Second):
	}
}

// firstTextEvent cuts a stream fixture after the event (SSE) or line
// (NDJSON) holding the first "Hello".
func firstTextEvent(data []byte) []byte {
	i := bytes.Index(data, []byte("Hello"))
	if i < 0 {
		return data
	}
	end := len(data)
	for _, sep := range []string{"\r\n\r\n", "\n\n", "\n"} {
		if j := bytes.Index(data[i:], []byte(sep)); j >= 0 {
			end = i + j + len(sep)
			break
		}
	}
	return data[:end]
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// fail answers every request with testdata/<vendor>/error_<status>.json.
func fail(vendor string, status int) func(gotRequest) reply {
	return func(gotRequest) reply {
		return reply{status: status, contentType: "application/json", file: fmt.Sprintf("%s/error_%d.json", vendor, status)}
	}
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

// conversation is the request most cases send: one of each role.
var conversation = llm.ChatRequest{Messages: []llm.Message{
	{Role: llm.RoleSystem, Content: "Be brief."},
	{Role: llm.RoleUser, Content: "Hi"},
	{Role: llm.RoleAssistant, Content: "Hello."},
	{Role: llm.RoleUser, Content: "Greet me"},
}}

// chatCase drives one node through Init and Stream against a fake.
type chatCase struct {
	name string
	// data is the node's saved configuration; {{URL}} becomes the fake's
	// URL.
	data string
	// env holds getenv's values; {{URL}} becomes the fake's URL.
	env map[string]string
	// creds are the fields of credential "cred-1".
	creds map[string]any
	// req defaults to conversation.
	req *llm.ChatRequest

	wantPath   string
	wantQuery  string
	wantHeader map[string]string // "" means the header must be absent
	wantBody   map[string]any
	wantText   string
	wantUsage  *llm.Usage
	// wantChunks, when positive, is the number of chunks with text.
	wantChunks int
}

// newModel builds def's instance from data (with {{URL}} replaced) and
// checks that it is an llm.ChatModel.
func newModel(t *testing.T, def node.Definition, data, url string, creds map[string]any, client *http.Client) llm.ChatModel {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(strings.ReplaceAll(data, "{{URL}}", url)), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	rt := &node.Runtime{HTTPClient: client, Credentials: fakeCredentials{"cred-1": creds}}
	inst, err := def.Init(t.Context(), &d, rt)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	m, ok := inst.(llm.ChatModel)
	if !ok {
		t.Fatalf("Init returned %T, want an llm.ChatModel", inst)
	}
	return m
}

// runChatCases runs each case against a fresh fake answering with answer.
func runChatCases(t *testing.T, def node.Definition, answer func(gotRequest) reply, cases []chatCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, answer)
			setEnv(t, withURL(tc.env, f.URL))
			m := newModel(t, def, tc.data, f.URL, tc.creds, f.Client())
			req := conversation
			if tc.req != nil {
				req = *tc.req
			}
			var text strings.Builder
			var usage *llm.Usage
			var chunks int
			for c, err := range m.Stream(t.Context(), req) {
				if err != nil {
					t.Fatalf("Stream: %v", err)
				}
				if c.Content != "" {
					chunks++
				}
				text.WriteString(c.Content)
				usage = usage.Add(c.Usage)
			}
			var got gotRequest
			select {
			case got = <-f.reqs:
			default:
				t.Fatalf("the fake received no request")
			}
			if got.Path != tc.wantPath {
				t.Errorf("path = %q, want %q", got.Path, tc.wantPath)
			}
			if got.Query != tc.wantQuery {
				t.Errorf("query = %q, want %q", got.Query, tc.wantQuery)
			}
			for k, want := range tc.wantHeader {
				if v := got.Header.Get(k); v != want {
					t.Errorf("header %s = %q, want %q", k, v, want)
				}
			}
			if diff := cmp.Diff(tc.wantBody, got.Body); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
			if text.String() != tc.wantText {
				t.Errorf("text = %q, want %q", text.String(), tc.wantText)
			}
			if diff := cmp.Diff(tc.wantUsage, usage); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
			if tc.wantChunks > 0 && chunks != tc.wantChunks {
				t.Errorf("got %d text chunks, want %d", chunks, tc.wantChunks)
			}
		})
	}
}

// errorCase is a vendor error a node must report.
type errorCase struct {
	name   string
	data   string            // {{URL}} becomes the fake's URL
	env    map[string]string // {{URL}} becomes the fake's URL
	answer func(gotRequest) reply
	want   []string // substrings of the error
}

// runErrorCases checks that vendor errors surface as errors naming the
// node and the vendor.
func runErrorCases(t *testing.T, def node.Definition, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.answer)
			setEnv(t, withURL(tc.env, f.URL))
			m := newModel(t, def, tc.data, f.URL, map[string]any{}, f.Client())
			text, _, err := llm.Collect(m.Stream(t.Context(), conversation))
			if err == nil {
				t.Fatalf("Stream = %q, want an error", text)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// testCancel cancels the context after the first text chunk while the fake
// keeps the stream open: the fake's request must end within 100ms and the
// sequence must end with ctx.Err().
func testCancel(t *testing.T, def node.Definition, data string, env map[string]string, answer func(gotRequest) reply) {
	t.Helper()
	f := newFake(t, answer)
	f.hold = true
	setEnv(t, withURL(env, f.URL))
	m := newModel(t, def, data, f.URL, map[string]any{}, f.Client())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelled time.Time
	var last error
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for c, err := range m.Stream(ctx, conversation) {
			if err != nil {
				last = err
				continue
			}
			if c.Content != "" && cancelled.IsZero() {
				cancelled = time.Now()
				cancel()
			}
		}
	}()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Fatalf("Stream did not return after the context was cancelled")
	}
	if cancelled.IsZero() {
		t.Fatalf("no text chunk before the stream ended (last error %v)", last)
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("last error = %v, want context.Canceled", last)
	}
	select {
	case done := <-f.done:
		if d := done.Sub(cancelled); d > 100*time.Millisecond {
			t.Errorf("the fake saw the cancellation after %v, want under 100ms", d)
		}
	case <-time.After(time.Second):
		t.Errorf("the fake's request context is not done after cancel")
	}
}

// openAIAnswer speaks the chat completions API: SSE chat.completion.chunk
// events ending with [DONE] for a streamed call, a chat.completion object
// otherwise.
func openAIAnswer(streamFile string) func(gotRequest) reply {
	return func(g gotRequest) reply {
		if g.Body["stream"] == true {
			return reply{contentType: "text/event-stream", file: streamFile}
		}
		return reply{contentType: "application/json", file: "openai/completion.json"}
	}
}

// anthropicAnswer speaks the Messages API: the named SSE event sequence for
// a streamed call, a message object otherwise.
func anthropicAnswer(streamFile string) func(gotRequest) reply {
	return func(g gotRequest) reply {
		if g.Body["stream"] == true {
			return reply{contentType: "text/event-stream", file: streamFile}
		}
		return reply{contentType: "application/json", file: "anthropic/message.json"}
	}
}

// geminiAnswer speaks the Gemini API: :streamGenerateContent?alt=sse
// answers with SSE GenerateContentResponse events, :generateContent with
// one response.
func geminiAnswer(g gotRequest) reply {
	if strings.HasSuffix(g.Path, ":streamGenerateContent") {
		return reply{contentType: "text/event-stream", file: "gemini/stream.sse"}
	}
	return reply{contentType: "application/json", file: "gemini/response.json"}
}

// ollamaAnswer speaks Ollama's /api/chat: NDJSON lines unless the request
// says "stream": false.
func ollamaAnswer(g gotRequest) reply {
	if g.Body["stream"] == false {
		return reply{contentType: "application/json; charset=utf-8", file: "ollama/chat.json"}
	}
	return reply{contentType: "application/x-ndjson", file: "ollama/chat_stream.ndjson"}
}
