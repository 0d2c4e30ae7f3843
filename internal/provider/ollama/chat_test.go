package ollama

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// received is what the fake saw of one request.
type received struct {
	Method, Path, Accept, Authorization, ContentType string
	Body                                             map[string]any
}

// fixture is the fake's answer: a file under testdata served with a
// status and a content type.
type fixture struct {
	status      int
	contentType string
	file        string
}

// newFake starts an Ollama server on loopback that answers every request
// with fx and sends what it received on the returned channel.
func newFake(t *testing.T, fx fixture) (*httptest.Server, chan received) {
	t.Helper()
	got := make(chan received, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		rec := received{Method: r.Method, Path: r.URL.Path, Accept: r.Header.Get("Accept"),
			Authorization: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type")}
		_ = json.Unmarshal(raw, &rec.Body)
		got <- rec
		data, err := os.ReadFile(filepath.Join("testdata", fx.file))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", fx.contentType)
		if fx.status != 0 {
			w.WriteHeader(fx.status)
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// chatRequest is a request with every field the chat node sends.
func chatRequest(stream bool) *ChatRequest {
	ka := Duration(10 * time.Minute)
	return &ChatRequest{
		Model: "qwen3",
		Messages: []Message{
			{Role: "system", Content: "Be brief."},
			{Role: "user", Content: "What is this?", Images: [][]byte{[]byte("PNG")}},
		},
		Stream:    &stream,
		Format:    json.RawMessage(`"json"`),
		KeepAlive: &ka,
		Options:   map[string]any{"temperature": 0.7, "num_ctx": 4096, "stop": []string{"User:"}},
		Think:     false,
	}
}

// wantChatBody is chatRequest as Ollama receives it.
func wantChatBody(stream bool) map[string]any {
	return map[string]any{
		"model": "qwen3",
		"messages": []any{
			map[string]any{"role": "system", "content": "Be brief."},
			map[string]any{"role": "user", "content": "What is this?", "images": []any{"UE5H"}},
		},
		"stream": stream, "format": "json", "keep_alive": "10m0s", "think": false,
		"options": map[string]any{"temperature": 0.7, "num_ctx": float64(4096), "stop": []any{"User:"}},
	}
}

func TestChat(t *testing.T) {
	tests := []struct {
		name       string
		stream     bool
		fx         fixture
		base       string // appended to the fake's URL
		key        string
		wantAuth   string
		wantChunks []string
		wantThink  string
		wantDone   *ChatResponse
	}{
		{
			name:       "streamed, bearer key",
			stream:     true,
			fx:         fixture{contentType: "application/x-ndjson", file: "chat_stream.ndjson"},
			key:        "ol-key",
			wantAuth:   "Bearer ol-key",
			wantChunks: []string{"", "Hello", " there!", ""},
			wantThink:  "A greeting.",
			wantDone: &ChatResponse{Model: "qwen3", CreatedAt: "2024-11-20T10:00:00.323456Z", Message: Message{Role: "assistant"},
				Done: true, DoneReason: "stop", PromptEvalCount: 26, EvalCount: 3, TotalDuration: 4883583458},
		},
		{
			name:       "one object, base with path and slash",
			fx:         fixture{contentType: "application/json; charset=utf-8", file: "chat.json"},
			base:       "/ollama/",
			wantChunks: []string{"Hello there!"},
			wantDone: &ChatResponse{Model: "llama3.2", CreatedAt: "2024-11-20T10:00:00.323456Z", Message: Message{Role: "assistant", Content: "Hello there!"},
				Done: true, DoneReason: "stop", PromptEvalCount: 26, EvalCount: 3, TotalDuration: 4883583458},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, got := newFake(t, tc.fx)
			c := &Client{BaseURL: srv.URL + tc.base, APIKey: tc.key, HTTP: srv.Client()}
			var chunks []string
			var think string
			var last *ChatResponse
			for res, err := range c.Chat(t.Context(), chatRequest(tc.stream)) {
				if err != nil {
					t.Fatalf("Chat: %v", err)
				}
				chunks = append(chunks, res.Message.Content)
				think += res.Message.Thinking
				last = res
			}
			r := <-got
			wantPath := strings.TrimSuffix(tc.base, "/") + "/api/chat"
			want := received{Method: http.MethodPost, Path: wantPath, Accept: "application/x-ndjson", Authorization: tc.wantAuth,
				ContentType: "application/json", Body: wantChatBody(tc.stream)}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantChunks, chunks); diff != "" {
				t.Errorf("chunks (-want +got):\n%s", diff)
			}
			if think != tc.wantThink {
				t.Errorf("thinking = %q, want %q", think, tc.wantThink)
			}
			if diff := cmp.Diff(tc.wantDone, last); diff != "" {
				t.Errorf("last chunk (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name     string
		fx       fixture
		wantErr  *Error
		wantText string // text yielded before the error
	}{
		{
			name:    "unknown model",
			fx:      fixture{status: 404, contentType: "application/json", file: "error_404.json"},
			wantErr: &Error{StatusCode: 404, Message: `model "llama9" not found, try pulling it first`},
		},
		{
			name:    "error object from a proxy",
			fx:      fixture{status: 401, contentType: "application/json", file: "error_object.json"},
			wantErr: &Error{StatusCode: 401, Message: `{"error":{"message":"unauthorized","type":"auth"}}`},
		},
		{
			name:    "not JSON",
			fx:      fixture{status: 502, contentType: "text/html", file: "bad_gateway.html"},
			wantErr: &Error{StatusCode: 502, Message: "<html><body>502 Bad Gateway</body></html>"},
		},
		{
			name:     "error line mid-stream",
			fx:       fixture{contentType: "application/x-ndjson", file: "chat_stream_error.ndjson"},
			wantErr:  &Error{Message: "llama runner process has terminated: exit status 2"},
			wantText: "Hello",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newFake(t, tc.fx)
			c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
			var err error
			var text string
			for res, e := range c.Chat(t.Context(), chatRequest(true)) {
				if e != nil {
					err = e
					continue
				}
				text += res.Message.Content
			}
			apiErr, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("error = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tc.wantErr, apiErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(err.Error(), "ollama: chat: ") || !strings.Contains(err.Error(), tc.wantErr.Message) {
				t.Errorf("error text %q, want the call and the message", err)
			}
			if text != tc.wantText {
				t.Errorf("text before the error = %q, want %q", text, tc.wantText)
			}
		})
	}
}

// TestChatCancel cancels the context after the first text chunk while the
// server holds the stream open: the sequence must end promptly with an
// error matching context.Canceled, and the server must see the request
// end.
func TestChatCancel(t *testing.T) {
	serverDone := make(chan time.Time, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = io.WriteString(w, `{"model":"m","message":{"role":"assistant","content":"Hello"},"done":false}`+"\n")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			serverDone <- time.Now()
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelled time.Time
	var last error
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for res, err := range c.Chat(ctx, chatRequest(true)) {
			if err != nil {
				last = err
				continue
			}
			if res.Message.Content == "Hello" {
				cancelled = time.Now()
				cancel()
			}
		}
	}()
	select {
	case <-returned:
	case <-time.After(2 * time.Second):
		t.Fatalf("the stream did not end after the context was cancelled")
	}
	if cancelled.IsZero() {
		t.Fatalf("no text chunk before the stream ended (last error %v)", last)
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("last error = %v, want one matching context.Canceled", last)
	}
	select {
	case done := <-serverDone:
		if d := done.Sub(cancelled); d > 100*time.Millisecond {
			t.Errorf("the server saw the cancellation after %v, want under 100ms", d)
		}
	case <-time.After(time.Second):
		t.Errorf("the server's request context is not done after cancel")
	}
}

func TestDurationJSON(t *testing.T) {
	tests := []struct {
		d    Duration
		want string
	}{
		{Duration(5 * time.Minute), `"5m0s"`},
		{Duration(300 * time.Second), `"5m0s"`},
		{Duration(0), `"0s"`},
		{Duration(-1), `-1`},
		{Duration(-time.Hour), `-1`},
	}
	for _, tc := range tests {
		got, err := json.Marshal(tc.d)
		if err != nil || string(got) != tc.want {
			t.Errorf("json.Marshal(%v) = %s, %v; want %s", time.Duration(tc.d), got, err, tc.want)
		}
	}
}
