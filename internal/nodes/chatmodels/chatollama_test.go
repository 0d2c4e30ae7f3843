package chatmodels

import (
	"testing"
	"time"

	"github.com/floehq/floe/internal/llm"
)

// ollamaMessages is conversation as /api/chat receives it.
var ollamaMessages = []any{
	map[string]any{"role": "system", "content": "Be brief."},
	map[string]any{"role": "user", "content": "Hi"},
	map[string]any{"role": "assistant", "content": "Hello."},
	map[string]any{"role": "user", "content": "Greet me"},
}

var ollamaUsage = &llm.Usage{InputTokens: 26, OutputTokens: 3, TotalTokens: 29}

func TestChatOllama(t *testing.T) {
	runChatCases(t, chatOllama, ollamaAnswer, []chatCase{
		{
			name: "base URL input wins over env, every option, bearer key",
			data: `{"id":"chatOllama_0","name":"chatOllama","credential":"cred-1","inputs":{"cache":"","baseUrl":"{{URL}}",
				"modelName":"llama3.2","temperature":"0.7","topP":"0.9","topK":"40","mirostat":"1","mirostatEta":"0.2",
				"mirostatTau":"4.5","numCtx":"4096","numGpu":"1","numThread":"8","repeatLastN":"64","repeatPenalty":"1.1",
				"stop":"User:, AI:","tfsZ":"1","keepAlive":"10m","jsonMode":true,"think":true,"streaming":true}}`,
			env:        map[string]string{"OLLAMA_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"ollamaApiKey": "ol-key"},
			wantPath:   "/api/chat",
			wantHeader: map[string]string{"Authorization": "Bearer ol-key", "Accept": "application/x-ndjson"},
			wantBody: map[string]any{
				"model": "llama3.2", "messages": ollamaMessages, "stream": true, "format": "json", "keep_alive": "10m0s", "think": true,
				"options": map[string]any{
					"temperature": 0.7, "top_p": 0.9, "top_k": float64(40), "mirostat": float64(1), "mirostat_eta": 0.2,
					"mirostat_tau": 4.5, "num_ctx": float64(4096), "num_gpu": float64(1), "num_thread": float64(8),
					"repeat_last_n": float64(64), "repeat_penalty": 1.1, "stop": []any{"User:", "AI:"}, "tfs_z": float64(1),
				},
			},
			wantText: "Hello there!", wantUsage: ollamaUsage, wantChunks: 2,
		},
		{
			name: "the Flowise template's inputs, env base URL, request stop",
			data: `{"id":"chatOllama_0","name":"chatOllama","inputs":{"cache":"","baseUrl":"","modelName":"llama2","temperature":0.9,
				"topP":"","topK":"","mirostat":"","mirostatEta":"","mirostatTau":"","numCtx":"","numGqa":"","numGpu":"",
				"numThread":"","repeatLastN":"","repeatPenalty":"","stop":"","tfsZ":""}}`,
			env:        map[string]string{"OLLAMA_BASE_URL": "{{URL}}/"},
			req:        &llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Hi"}}, Stop: []string{"###"}},
			wantPath:   "/api/chat",
			wantHeader: map[string]string{"Authorization": ""},
			wantBody: map[string]any{
				"model": "llama2", "messages": []any{map[string]any{"role": "user", "content": "Hi"}}, "stream": true, "think": false,
				"options": map[string]any{"temperature": 0.9, "stop": []any{"###"}},
			},
			wantText: "Hello there!", wantUsage: ollamaUsage,
		},
		{
			name:     "not streaming",
			data:     `{"id":"chatOllama_0","name":"chatOllama","inputs":{"baseUrl":"{{URL}}","modelName":"qwen3","streaming":false,"keepAlive":"-1"}}`,
			wantPath: "/api/chat",
			wantBody: map[string]any{
				"model": "qwen3", "messages": ollamaMessages, "stream": false, "think": false, "keep_alive": float64(-1),
				"options": map[string]any{},
			},
			wantText: "Hello there!", wantUsage: ollamaUsage, wantChunks: 1,
		},
	})
}

func TestChatOllamaErrors(t *testing.T) {
	runErrorCases(t, chatOllama, []errorCase{
		{
			name:   "404 unknown model",
			data:   `{"id":"o","name":"chatOllama","inputs":{"baseUrl":"{{URL}}","modelName":"llama9"}}`,
			answer: fail("ollama", 404),
			want:   []string{"chatOllama: calling ollama", "404", `model "llama9" not found`},
		},
		{
			name:   "500 not streamed",
			data:   `{"id":"o","name":"chatOllama","inputs":{"baseUrl":"{{URL}}","modelName":"m","streaming":false}}`,
			answer: fail("ollama", 500),
			want:   []string{"chatOllama: calling ollama", "500", "llama runner process has terminated"},
		},
		{
			name: "stream cut before done",
			data: `{"id":"o","name":"chatOllama","inputs":{"baseUrl":"{{URL}}","modelName":"m"}}`,
			answer: func(gotRequest) reply {
				return reply{contentType: "application/x-ndjson", file: "ollama/chat_stream_cut.ndjson"}
			},
			want: []string{"chatOllama: calling ollama: stream ended before done"},
		},
	})
}

func TestChatOllamaCancel(t *testing.T) {
	testCancel(t, chatOllama, `{"id":"o","name":"chatOllama","inputs":{"modelName":"m"}}`,
		map[string]string{"OLLAMA_BASE_URL": "{{URL}}"}, ollamaAnswer)
}

func TestKeepAlive(t *testing.T) {
	for in, want := range map[string]time.Duration{"5m": 5 * time.Minute, "24h": 24 * time.Hour, "300": 300 * time.Second, "-1": -1} {
		got, err := keepAlive(in)
		if err != nil || got != want {
			t.Errorf("keepAlive(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := keepAlive("soon"); err == nil {
		t.Errorf("keepAlive(soon) succeeded, want an error")
	}
}
