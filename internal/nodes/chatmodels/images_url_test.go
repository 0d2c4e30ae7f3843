package chatmodels

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// urlImageNode is one of the nodes whose vendor takes image URLs: its saved
// data (with {{URL}}, {{ALLOW}} and {{STREAM}} placeholders), environment
// ({{URL}} replaced), fake's answers and how its request carries turns.
type urlImageNode struct {
	def    node.Definition
	data   string
	env    map[string]string
	answer func(gotRequest) reply
	// turns returns the conversation turns of a request body.
	turns func(body map[string]any) []any
	// user is a user turn as sent: its text alone, or with image parts.
	user func(text string, parts ...any) any
	// dataPart and urlPart are the parts of an image given by its bytes
	// and by its URL.
	dataPart func(mimeType, data, detail string) any
	urlPart  func(url, detail string) any
	// assistant is the assistant turn "A cat." as sent.
	assistant any
}

// openAIImageNode returns the chat completions form of an OpenAI-family
// node: string content without images, else a text part then image_url
// parts.
func openAIImageNode(def node.Definition, data string) urlImageNode {
	imagePart := func(url, detail string) any {
		iu := map[string]any{"url": url}
		if detail != "" {
			iu["detail"] = detail
		}
		return map[string]any{"type": "image_url", "image_url": iu}
	}
	return urlImageNode{
		def:    def,
		data:   data,
		answer: openAIAnswer("openai/stream.sse"),
		turns:  func(body map[string]any) []any { return body["messages"].([]any) },
		user: func(text string, parts ...any) any {
			if len(parts) == 0 {
				return map[string]any{"role": "user", "content": text}
			}
			return map[string]any{"role": "user", "content": append([]any{map[string]any{"type": "text", "text": text}}, parts...)}
		},
		dataPart: func(mimeType, data, detail string) any {
			return imagePart("data:"+mimeType+";base64,"+base64.StdEncoding.EncodeToString([]byte(data)), detail)
		},
		urlPart:   imagePart,
		assistant: map[string]any{"role": "assistant", "content": "A cat."},
	}
}

var urlImageNodes = []urlImageNode{
	openAIImageNode(chatOpenAI, `{"id":"c","name":"chatOpenAI","inputs":{"basepath":"{{URL}}","openAIApiKey":"k",
		"streaming":{{STREAM}},"allowImageUploads":{{ALLOW}}}}`),
	openAIImageNode(azureChatOpenAI, `{"id":"a","name":"azureChatOpenAI","inputs":{"basepath":"{{URL}}","azureOpenAIApiKey":"k",
		"azureOpenAIApiDeploymentName":"d","azureOpenAIApiVersion":"v","streaming":{{STREAM}},"allowImageUploads":{{ALLOW}}}}`),
	openAIImageNode(chatOpenRouter, `{"id":"r","name":"chatOpenRouter","inputs":{"basepath":"{{URL}}","modelName":"openai/gpt-4o",
		"streaming":{{STREAM}},"allowImageUploads":{{ALLOW}}}}`),
	{
		def:    chatAnthropic,
		data:   `{"id":"an","name":"chatAnthropic","inputs":{"anthropicApiKey":"k","streaming":{{STREAM}},"allowImageUploads":{{ALLOW}}}}`,
		env:    map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}"},
		answer: anthropicAnswer("anthropic/stream.sse"),
		turns:  func(body map[string]any) []any { return body["messages"].([]any) },
		user: func(text string, parts ...any) any {
			return map[string]any{"role": "user", "content": append([]any{map[string]any{"type": "text", "text": text}}, parts...)}
		},
		// The Messages API has no image detail.
		dataPart: func(mimeType, data, _ string) any {
			return map[string]any{"type": "image", "source": map[string]any{
				"type": "base64", "media_type": mimeType, "data": base64.StdEncoding.EncodeToString([]byte(data)),
			}}
		},
		urlPart: func(url, _ string) any {
			return map[string]any{"type": "image", "source": map[string]any{"type": "url", "url": url}}
		},
		assistant: map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "A cat."}}},
	},
}

func TestImageUploadsByURL(t *testing.T) {
	img := imageServer(t)
	catURL := img.URL + "/cat.jpg"
	// part is an image part expected in the user turn.
	type part struct{ mimeType, data, url, detail string }
	tests := []struct {
		name    string
		allow   bool
		images  []llm.Image
		want    []part // the image parts of the first user turn
		wantErr string
		// wantLogs is the number of "ignoring image uploads" lines.
		wantLogs int
	}{
		{
			name:   "data image as a data URL",
			allow:  true,
			images: []llm.Image{{MIME: "image/png", Data: pngBytes}},
			want:   []part{{mimeType: "image/png", data: string(pngBytes)}},
		},
		{
			name:   "data image without a type is sniffed",
			allow:  true,
			images: []llm.Image{{Data: pngBytes}, {MIME: "application/octet-stream", Data: pngBytes}},
			want:   []part{{mimeType: "image/png", data: string(pngBytes)}, {mimeType: "image/png", data: string(pngBytes)}},
		},
		{
			name:   "URL image passed as its URL, not fetched",
			allow:  true,
			images: []llm.Image{{MIME: "image/jpeg", URL: catURL}},
			want:   []part{{url: catURL}},
		},
		{
			name:   "detail honoured",
			allow:  true,
			images: []llm.Image{{MIME: "image/png", Data: pngBytes, Detail: "high"}, {MIME: "image/jpeg", URL: catURL, Detail: "low"}},
			want:   []part{{mimeType: "image/png", data: string(pngBytes), detail: "high"}, {url: catURL, detail: "low"}},
		},
		{
			name:  "allowed without images: plain text",
			allow: true,
		},
		{
			name:     "not allowed: dropped with one log line",
			images:   []llm.Image{{MIME: "image/png", Data: pngBytes}, {MIME: "image/jpeg", URL: catURL}},
			wantLogs: 1,
		},
		{
			name:    "image with neither data nor URL",
			allow:   true,
			images:  []llm.Image{{MIME: "image/png"}},
			wantErr: "image has neither data nor URL",
		},
	}
	for _, n := range urlImageNodes {
		for _, stream := range []bool{true, false} {
			for _, tc := range tests {
				t.Run(n.def.Spec.Name+"/stream="+strconv.FormatBool(stream)+"/"+tc.name, func(t *testing.T) {
					f := newFake(t, n.answer)
					setEnv(t, withURL(n.env, f.URL))
					var fetches atomic.Int32
					var logs bytes.Buffer
					rt := &node.Runtime{
						HTTPClient: f.Client(),
						SafeClient: &http.Client{Transport: counting{n: &fetches, next: img.Client().Transport}},
						Logger:     slog.New(slog.NewTextHandler(&logs, nil)),
					}
					data := strings.NewReplacer("{{URL}}", f.URL, "{{ALLOW}}", strconv.FormatBool(tc.allow), "{{STREAM}}", strconv.FormatBool(stream)).Replace(n.data)
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
						// Images on assistant turns are never sent.
						{Role: llm.RoleAssistant, Content: "A cat.", Images: []llm.Image{{MIME: "image/png", Data: pngBytes}}},
						{Role: llm.RoleUser, Content: "Sure?"},
					}}
					text, _, err := llm.Collect(inst.(llm.ChatModel).Stream(t.Context(), req))
					if got := fetches.Load(); got != 0 {
						t.Errorf("safe client fetched %d times, want none: the vendor fetches URL images", got)
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
					if got.Body["stream"] != map[bool]any{true: true, false: nil}[stream] {
						t.Errorf("stream = %v, want %v", got.Body["stream"], stream)
					}
					var parts []any
					for _, p := range tc.want {
						if p.url != "" {
							parts = append(parts, n.urlPart(p.url, p.detail))
						} else {
							parts = append(parts, n.dataPart(p.mimeType, p.data, p.detail))
						}
					}
					want := []any{n.user("What is this?", parts...), n.assistant, n.user("Sure?")}
					if diff := cmp.Diff(want, n.turns(got.Body)); diff != "" {
						t.Errorf("turns sent (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

func TestImageUploadsWithoutInput(t *testing.T) {
	// Flowise gives these nodes no Allow Image Uploads input: a stale
	// allowImageUploads in the saved data changes nothing.
	tests := []struct {
		def  node.Definition
		data string
		env  map[string]string
	}{
		{def: chatOpenAICustom, data: `{"id":"c","name":"chatOpenAICustom","inputs":{"basepath":"{{URL}}","modelName":"m","streaming":false,"allowImageUploads":true}}`},
		{def: chatLocalAI, data: `{"id":"l","name":"chatLocalAI","inputs":{"basePath":"{{URL}}","modelName":"m","streaming":false,"allowImageUploads":true}}`},
		{def: groqChat, data: `{"id":"g","name":"groqChat","inputs":{"modelName":"m","streaming":false,"allowImageUploads":true}}`, env: map[string]string{"GROQ_BASE_URL": "{{URL}}"}},
		{def: chatDeepseek, data: `{"id":"d","name":"chatDeepseek","inputs":{"deepseekApiKey":"k","streaming":false,"allowImageUploads":true}}`, env: map[string]string{"DEEPSEEK_BASE_URL": "{{URL}}"}},
		{def: chatTogetherAI, data: `{"id":"t","name":"chatTogetherAI","inputs":{"modelName":"m","streaming":false,"allowImageUploads":true}}`, env: map[string]string{"TOGETHER_BASE_URL": "{{URL}}"}},
		{def: chatMistralAI, data: `{"id":"m","name":"chatMistralAI","inputs":{"overrideEndpoint":"{{URL}}","streaming":false,"allowImageUploads":true}}`},
	}
	for _, tc := range tests {
		t.Run(tc.def.Spec.Name, func(t *testing.T) {
			f := newFake(t, openAIAnswer("openai/stream.sse"))
			setEnv(t, withURL(tc.env, f.URL))
			var logs bytes.Buffer
			rt := &node.Runtime{HTTPClient: f.Client(), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			var d node.Data
			if err := json.Unmarshal([]byte(strings.ReplaceAll(tc.data, "{{URL}}", f.URL)), &d); err != nil {
				t.Fatalf("building data: %v", err)
			}
			inst, err := tc.def.Init(t.Context(), &d, rt)
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			req := llm.ChatRequest{Messages: []llm.Message{
				{Role: llm.RoleUser, Content: "What is this?", Images: []llm.Image{{MIME: "image/png", Data: pngBytes}, {MIME: "image/jpeg", URL: "https://example.com/cat.jpg"}}},
				{Role: llm.RoleAssistant, Content: "A cat.", Images: []llm.Image{{MIME: "image/png", Data: pngBytes}}},
				{Role: llm.RoleUser, Content: "Sure?", Images: []llm.Image{{MIME: "image/png", Data: pngBytes}}},
			}}
			if text, _, err := llm.Collect(inst.(llm.ChatModel).Stream(t.Context(), req)); err != nil || text != "Hello there!" {
				t.Fatalf("Stream = %q, %v; want the fixture's answer", text, err)
			}
			// The caller's request is left as it was.
			if len(req.Messages[0].Images) != 2 {
				t.Errorf("Stream removed the images from the caller's messages")
			}
			want := []any{
				map[string]any{"role": "user", "content": "What is this?"},
				map[string]any{"role": "assistant", "content": "A cat."},
				map[string]any{"role": "user", "content": "Sure?"},
			}
			if diff := cmp.Diff(want, (<-f.reqs).Body["messages"]); diff != "" {
				t.Errorf("messages sent (-want +got):\n%s", diff)
			}
			if got := strings.Count(logs.String(), "ignoring image uploads: the node takes no images"); got != 1 {
				t.Errorf("got %d log lines about ignored images, want 1 (counting 3 images); logs:\n%s", got, logs.String())
			}
			if !strings.Contains(logs.String(), "images=3") {
				t.Errorf("log does not count the 3 user images; logs:\n%s", logs.String())
			}
		})
	}
}

func TestImageUploadInputs(t *testing.T) {
	// The chat models that have Allow Image Uploads in Flowise 3.1; none
	// has Image Resolution any more (removed in 3.1.0).
	want := []string{"azureChatOpenAI", "chatAnthropic", "chatGoogleGenerativeAI", "chatOllama", "chatOpenAI", "chatOpenRouter"}
	r := node.NewRegistry()
	Register(r)
	var got []string
	for _, def := range r.List() {
		s := def.Spec
		if slices.ContainsFunc(s.Inputs, func(p node.Param) bool { return p.Name == inAllowImageUploads }) {
			got = append(got, s.Name)
		}
		if slices.ContainsFunc(s.Inputs, func(p node.Param) bool { return p.Name == "imageResolution" }) {
			t.Errorf("%s has an imageResolution input, which Flowise 3.1 dropped", s.Name)
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nodes with Allow Image Uploads (-want +got):\n%s", diff)
	}
}

// A flow saved by Flowise 3.0 keeps its imageResolution: it becomes the
// images' detail (without changing the caller's messages); an unknown
// value, or none (Flowise 3.1), sends no detail.
func TestImageResolutionFromSavedFlows(t *testing.T) {
	for _, tc := range []struct{ saved, want string }{{"High", "high"}, {"low", "low"}, {"auto", "auto"}, {"bogus", ""}, {"", ""}} {
		d := &node.Data{ID: "c", Name: "chatOpenAI", Inputs: map[string]any{"allowImageUploads": true, "imageResolution": tc.saved}}
		im, err := imagesInput(d, &node.Runtime{}, "chatOpenAI")
		if err != nil {
			t.Fatal(err)
		}
		msgs := []llm.Message{{Role: llm.RoleUser, Content: "what?", Images: []llm.Image{{MIME: "image/png", Data: []byte("x")}}}}
		got := im.filter(t.Context(), llm.ChatRequest{Messages: msgs})
		if d := got.Messages[0].Images[0].Detail; d != tc.want {
			t.Errorf("imageResolution %q: detail %q, want %q", tc.saved, d, tc.want)
		}
		if msgs[0].Images[0].Detail != "" {
			t.Errorf("imageResolution %q: the caller's message was changed", tc.saved)
		}
	}
}
