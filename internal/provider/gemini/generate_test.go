package gemini

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
	Method, Path, Query, APIKey, ContentType string
	Body                                     map[string]any
}

// fixture is the fake's answer: a file under testdata served with a
// status and a content type.
type fixture struct {
	status      int
	contentType string
	file        string
}

// newFake starts a Gemini API on loopback that answers every request with
// fx and sends what it received on the returned channel.
func newFake(t *testing.T, fx fixture) (*httptest.Server, chan received) {
	t.Helper()
	got := make(chan received, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		rec := received{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, APIKey: r.Header.Get("x-goog-api-key"), ContentType: r.Header.Get("Content-Type")}
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

// request is a conversation with every field the nodes send.
func request() *GenerateContentRequest {
	temp, budget := 0.5, 512
	return &GenerateContentRequest{
		Contents: []Content{
			{Role: RoleUser, Parts: []Part{{InlineData: &Blob{MIMEType: "image/png", Data: []byte("PNG")}}, {Text: "What is this?"}}},
			{Role: RoleModel, Parts: []Part{{Text: "A picture."}}},
		},
		SystemInstruction: &Content{Role: RoleUser, Parts: []Part{{Text: "Be brief."}}},
		GenerationConfig: &GenerationConfig{
			Temperature: &temp, MaxOutputTokens: 800, StopSequences: []string{"END"},
			ThinkingConfig: &ThinkingConfig{ThinkingBudget: &budget, IncludeThoughts: true},
		},
		SafetySettings: []SafetySetting{{Category: "HARM_CATEGORY_HARASSMENT", Threshold: "BLOCK_ONLY_HIGH"}},
	}
}

// wantBody is request() as the API receives it.
var wantBody = map[string]any{
	"contents": []any{
		map[string]any{"role": "user", "parts": []any{
			map[string]any{"inlineData": map[string]any{"mimeType": "image/png", "data": "UE5H"}},
			map[string]any{"text": "What is this?"},
		}},
		map[string]any{"role": "model", "parts": []any{map[string]any{"text": "A picture."}}},
	},
	"systemInstruction": map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Be brief."}}},
	"generationConfig": map[string]any{
		"temperature": 0.5, "maxOutputTokens": float64(800), "stopSequences": []any{"END"},
		"thinkingConfig": map[string]any{"thinkingBudget": float64(512), "includeThoughts": true},
	},
	"safetySettings": []any{map[string]any{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}},
}

// fixtureUsage is the usage of generate.json and of stream.sse's last event.
var fixtureUsage = &UsageMetadata{PromptTokenCount: 9, CandidatesTokenCount: 3, ThoughtsTokenCount: 18, TotalTokenCount: 30}

func TestGenerateContent(t *testing.T) {
	tests := []struct {
		name     string
		base     string // appended to the fake's URL
		model    string
		wantPath string
	}{
		{name: "bare model name", model: "gemini-2.5-flash", wantPath: "/v1beta/models/gemini-2.5-flash:generateContent"},
		{name: "resource name, base with path and slash", base: "/proxy/", model: "models/gemini-2.5-pro", wantPath: "/proxy/v1beta/models/gemini-2.5-pro:generateContent"},
		{name: "tuned model", model: "tunedModels/mine", wantPath: "/v1beta/tunedModels/mine:generateContent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, got := newFake(t, fixture{contentType: "application/json", file: "generate.json"})
			c := &Client{BaseURL: srv.URL + tc.base, APIKey: "AIza-test", HTTP: srv.Client()}
			res, err := c.GenerateContent(t.Context(), tc.model, request())
			if err != nil {
				t.Fatalf("GenerateContent: %v", err)
			}
			r := <-got
			want := received{Method: http.MethodPost, Path: tc.wantPath, APIKey: "AIza-test", ContentType: "application/json", Body: wantBody}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if got, want := res.Text(), "Hello there!"; got != want {
				t.Errorf("Text() = %q, want %q", got, want)
			}
			if diff := cmp.Diff(fixtureUsage, res.UsageMetadata); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
			if got := res.Candidates[0].FinishReason; got != "STOP" {
				t.Errorf("finishReason = %q, want STOP", got)
			}
		})
	}
}

func TestStreamGenerateContent(t *testing.T) {
	srv, got := newFake(t, fixture{contentType: "text/event-stream", file: "stream.sse"})
	c := &Client{BaseURL: srv.URL, APIKey: "k", HTTP: srv.Client()}
	var texts, finish []string
	var usage *UsageMetadata
	for res, err := range c.StreamGenerateContent(t.Context(), "gemini-2.5-flash", request()) {
		if err != nil {
			t.Fatalf("StreamGenerateContent: %v", err)
		}
		texts = append(texts, res.Text())
		finish = append(finish, res.Candidates[0].FinishReason)
		usage = res.UsageMetadata
	}
	r := <-got
	if r.Path != "/v1beta/models/gemini-2.5-flash:streamGenerateContent" || r.Query != "alt=sse" {
		t.Errorf("request = %s?%s, want /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", r.Path, r.Query)
	}
	if diff := cmp.Diff(wantBody, r.Body); diff != "" {
		t.Errorf("request body (-want +got):\n%s", diff)
	}
	// The first event holds only a thought, which Text leaves out.
	if diff := cmp.Diff([]string{"", "Hello", " there!"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "", "STOP"}, finish); diff != "" {
		t.Errorf("finish reasons (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fixtureUsage, usage); diff != "" {
		t.Errorf("last usage (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		fx      fixture
		stream  bool
		wantErr *Error
		// prefixOnly compares only the start of the error's message.
		prefixOnly bool
		// wantText is the text yielded before the error.
		wantText string
	}{
		{
			name:    "bad key, generateContent",
			fx:      fixture{status: 400, contentType: "application/json", file: "error_400.json"},
			wantErr: &Error{StatusCode: 400, Status: "INVALID_ARGUMENT", Message: "API key not valid. Please pass a valid API key."},
		},
		{
			name:    "bad key, stream",
			fx:      fixture{status: 400, contentType: "application/json", file: "error_400.json"},
			stream:  true,
			wantErr: &Error{StatusCode: 400, Status: "INVALID_ARGUMENT", Message: "API key not valid. Please pass a valid API key."},
		},
		{
			name:   "error envelope in an array",
			fx:     fixture{status: 404, contentType: "application/json", file: "error_stream_array.json"},
			stream: true,
			wantErr: &Error{StatusCode: 404, Status: "NOT_FOUND",
				Message: "models/gemini-9 is not found for API version v1beta, or is not supported for generateContent."},
		},
		{
			name:     "error event mid-stream",
			fx:       fixture{contentType: "text/event-stream", file: "stream_error.sse"},
			stream:   true,
			wantErr:  &Error{StatusCode: 503, Status: "UNAVAILABLE", Message: "The model is overloaded. Please try again later."},
			wantText: "Hello",
		},
		{
			name:       "body without an error object",
			fx:         fixture{status: 502, contentType: "text/html", file: "stream.sse"},
			wantErr:    &Error{StatusCode: 502, Message: `data: {"candidates"`},
			prefixOnly: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newFake(t, tc.fx)
			c := &Client{BaseURL: srv.URL, APIKey: "bad", HTTP: srv.Client()}
			var err error
			var text string
			if tc.stream {
				for res, e := range c.StreamGenerateContent(t.Context(), "gemini-2.5-flash", request()) {
					if e != nil {
						err = e
						continue
					}
					text += res.Text()
				}
			} else {
				_, err = c.GenerateContent(t.Context(), "gemini-2.5-flash", request())
			}
			apiErr, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("error = %v, want an *Error", err)
			}
			if tc.prefixOnly && strings.HasPrefix(apiErr.Message, tc.wantErr.Message) {
				apiErr = &Error{StatusCode: apiErr.StatusCode, Status: apiErr.Status, Message: tc.wantErr.Message}
			}
			if diff := cmp.Diff(tc.wantErr, apiErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			method := "gemini: generateContent: "
			if tc.stream {
				method = "gemini: streamGenerateContent: "
			}
			if !strings.HasPrefix(err.Error(), method) || !strings.Contains(err.Error(), tc.wantErr.Message) {
				t.Errorf("error text %q, want the method and the message", err)
			}
			if text != tc.wantText {
				t.Errorf("text before the error = %q, want %q", text, tc.wantText)
			}
		})
	}
}

// TestStreamCancel cancels the context after the first text event while
// the server holds the stream open: the sequence must end promptly with
// an error matching context.Canceled, and the server must see the request
// end.
func TestStreamCancel(t *testing.T) {
	serverDone := make(chan time.Time, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, `data: {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}]}`+"\r\n\r\n")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			serverDone <- time.Now()
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	c := &Client{BaseURL: srv.URL, APIKey: "k", HTTP: srv.Client()}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var cancelled time.Time
	var last error
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for res, err := range c.StreamGenerateContent(ctx, "gemini-2.5-flash", request()) {
			if err != nil {
				last = err
				continue
			}
			if res.Text() == "Hello" {
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
		t.Fatalf("no text event before the stream ended (last error %v)", last)
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

func TestModelPath(t *testing.T) {
	tests := []struct {
		model, want string
		wantErr     bool
	}{
		{model: "gemini-2.5-flash", want: "models/gemini-2.5-flash"},
		{model: "models/gemini-2.5-flash", want: "models/gemini-2.5-flash"},
		{model: "tunedModels/x", want: "tunedModels/x"},
		{model: "", wantErr: true},
		{model: "gemini?alt=x", wantErr: true},
		{model: "../files", wantErr: true},
	}
	for _, tc := range tests {
		got, err := modelPath(tc.model)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("modelPath(%q) = %q, %v; want %q, error %v", tc.model, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestEvents(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{name: "LF", in: "data: {\"a\":1}\n\ndata: {\"b\":2}\n\n", want: []string{`{"a":1}`, `{"b":2}`}},
		{name: "CRLF, no final blank line", in: "data: {\"a\":1}\r\n\r\ndata: {\"b\":2}\r\n", want: []string{`{"a":1}`, `{"b":2}`}},
		{name: "multi-line data, comments and other fields", in: ": ping\nevent: x\ndata: {\"a\":\ndata:1}\nid: 7\n\n\n", want: []string{"{\"a\":\n1}"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for data, err := range events(strings.NewReader(tc.in)) {
				if err != nil {
					t.Fatalf("events: %v", err)
				}
				got = append(got, string(data))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}
