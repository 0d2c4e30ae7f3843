package chatmodels

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// pngBytes is the start of a PNG file: enough for content sniffing.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// counting counts the requests sent through it.
type counting struct {
	n    *atomic.Int32
	next http.RoundTripper
}

func (c counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// imageServer serves /cat.jpg (a small image sent as image/jpeg) and
// /huge (one byte over the 20 MiB cap, streamed without a length).
func imageServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cat.jpg":
			w.Header().Set("Content-Type", "image/jpeg; charset=binary")
			_, _ = w.Write([]byte("JPEGDATA"))
		case "/huge":
			w.Header().Set("Content-Type", "image/png")
			_, _ = io.CopyN(w, zeros{}, maxImageBytes+1)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// zeros reads zero bytes forever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// imageNode is one of the nodes that send images inline: its saved data
// (with {{URL}} and {{ALLOW}} placeholders), its fake's answers and how
// its request carries a user turn with images.
type imageNode struct {
	def    node.Definition
	data   string
	answer func(gotRequest) reply
	// turn returns turn i of the request body.
	turn func(body map[string]any, i int) any
	// modelTurn is the assistant turn "A cat." as the vendor receives it.
	modelTurn any
	// want is the turn the vendor must receive for text and images given
	// as (MIME type, raw bytes) pairs.
	want func(text string, imgs ...[2]string) any
}

var imageNodes = []imageNode{
	{
		def:       chatGoogleGenerativeAI,
		data:      `{"id":"g","name":"chatGoogleGenerativeAI","inputs":{"baseUrl":"{{URL}}","googleGenerativeAPIKey":"k","streaming":false,"allowImageUploads":{{ALLOW}}}}`,
		answer:    geminiAnswer,
		turn:      func(body map[string]any, i int) any { return body["contents"].([]any)[i] },
		modelTurn: map[string]any{"role": "model", "parts": []any{map[string]any{"text": "A cat."}}},
		want: func(text string, imgs ...[2]string) any {
			var parts []any
			for _, img := range imgs {
				parts = append(parts, map[string]any{"inlineData": map[string]any{"mimeType": img[0], "data": base64.StdEncoding.EncodeToString([]byte(img[1]))}})
			}
			parts = append(parts, map[string]any{"text": text})
			return map[string]any{"role": "user", "parts": parts}
		},
	},
	{
		def:       chatOllama,
		data:      `{"id":"o","name":"chatOllama","inputs":{"baseUrl":"{{URL}}","modelName":"llava","streaming":false,"allowImageUploads":{{ALLOW}}}}`,
		answer:    ollamaAnswer,
		turn:      func(body map[string]any, i int) any { return body["messages"].([]any)[i] },
		modelTurn: map[string]any{"role": "assistant", "content": "A cat."},
		want: func(text string, imgs ...[2]string) any {
			turn := map[string]any{"role": "user", "content": text}
			if len(imgs) > 0 {
				var b64 []any
				for _, img := range imgs {
					b64 = append(b64, base64.StdEncoding.EncodeToString([]byte(img[1])))
				}
				turn["images"] = b64
			}
			return turn
		},
	},
}

func TestImageUploads(t *testing.T) {
	img := imageServer(t)
	tests := []struct {
		name   string
		allow  bool
		images []llm.Image
		noSafe bool // run without a SafeClient
		// wantImages are the (MIME type, bytes) pairs sent; wantErr, when
		// set, is part of the error expected instead.
		wantImages  [][2]string
		wantErr     string
		wantFetches int32
		wantLogs    int
	}{
		{
			name:       "inline data",
			allow:      true,
			images:     []llm.Image{{MIME: "image/png", Data: pngBytes}},
			wantImages: [][2]string{{"image/png", string(pngBytes)}},
		},
		{
			name:       "inline data without a type is sniffed",
			allow:      true,
			images:     []llm.Image{{Data: pngBytes}},
			wantImages: [][2]string{{"image/png", string(pngBytes)}},
		},
		{
			name:        "URL fetched through the safe client, its type used",
			allow:       true,
			images:      []llm.Image{{URL: img.URL + "/cat.jpg"}, {MIME: "image/webp", URL: img.URL + "/cat.jpg"}},
			wantImages:  [][2]string{{"image/jpeg", "JPEGDATA"}, {"image/webp", "JPEGDATA"}},
			wantFetches: 2,
		},
		{
			name:    "URL refused without a safe client",
			allow:   true,
			images:  []llm.Image{{URL: img.URL + "/cat.jpg"}},
			noSafe:  true,
			wantErr: "no SSRF-guarded HTTP client",
		},
		{
			name:        "URL over 20 MiB refused",
			allow:       true,
			images:      []llm.Image{{URL: img.URL + "/huge"}},
			wantErr:     "over the 20 MiB limit",
			wantFetches: 1,
		},
		{
			name:    "URL answering 404",
			allow:   true,
			images:  []llm.Image{{URL: img.URL + "/missing.png"}},
			wantErr: "status 404 Not Found", wantFetches: 1,
		},
		{
			name:     "not allowed: dropped with one log line",
			images:   []llm.Image{{MIME: "image/png", Data: pngBytes}, {URL: img.URL + "/cat.jpg"}},
			wantLogs: 1,
		},
	}
	for _, n := range imageNodes {
		for _, tc := range tests {
			t.Run(n.def.Spec.Name+"/"+tc.name, func(t *testing.T) {
				f := newFake(t, n.answer)
				setEnv(t, nil)
				var fetches atomic.Int32
				var logs bytes.Buffer
				rt := &node.Runtime{HTTPClient: f.Client(), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
				if !tc.noSafe {
					rt.SafeClient = &http.Client{Transport: counting{n: &fetches, next: img.Client().Transport}}
				}
				data := strings.NewReplacer("{{URL}}", f.URL, "{{ALLOW}}", map[bool]string{true: "true", false: "false"}[tc.allow]).Replace(n.data)
				var d node.Data
				if err := json.Unmarshal([]byte(data), &d); err != nil {
					t.Fatalf("building data: %v", err)
				}
				inst, err := n.def.Init(t.Context(), &d, rt)
				if err != nil {
					t.Fatalf("Init: %v", err)
				}
				req := llm.ChatRequest{Messages: []llm.Message{
					{Role: llm.RoleUser, Content: "What is this?", Images: tc.images},
					// Images on model turns are never sent.
					{Role: llm.RoleAssistant, Content: "A cat.", Images: []llm.Image{{MIME: "image/png", Data: pngBytes}}},
					{Role: llm.RoleUser, Content: "Sure?"},
				}}
				text, _, err := llm.Collect(inst.(llm.ChatModel).Stream(t.Context(), req))
				if got := fetches.Load(); got != tc.wantFetches {
					t.Errorf("safe client fetched %d times, want %d", got, tc.wantFetches)
				}
				if got := strings.Count(logs.String(), "ignoring image uploads"); got != tc.wantLogs {
					t.Errorf("got %d log lines about ignored images, want %d; logs:\n%s", got, tc.wantLogs, logs.String())
				}
				if tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Errorf("Stream error = %v, want one containing %q", err, tc.wantErr)
					}
					if len(f.reqs) != 0 {
						t.Errorf("the vendor was called despite the image error")
					}
					return
				}
				if err != nil || text != "Hello there!" {
					t.Fatalf("Stream = %q, %v; want the fixture's answer", text, err)
				}
				got := <-f.reqs
				if diff := cmp.Diff(n.want("What is this?", tc.wantImages...), n.turn(got.Body, 0)); diff != "" {
					t.Errorf("user turn sent (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(n.modelTurn, n.turn(got.Body, 1)); diff != "" {
					t.Errorf("model turn sent (-want +got):\n%s", diff)
				}
			})
		}
	}
}
