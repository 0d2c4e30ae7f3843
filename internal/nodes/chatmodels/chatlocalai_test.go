package chatmodels

import "testing"

func TestChatLocalAI(t *testing.T) {
	runChatCases(t, chatLocalAI, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "base path input wins over env, credential key",
			data: `{"id":"chatLocalAI_0","name":"chatLocalAI","credential":"cred-1","inputs":{
				"basePath":"{{URL}}/v1","modelName":"ggml-gpt4all-j","temperature":"0.2","maxTokens":"64","topP":"0.9","timeout":"1000"}}`,
			env:        map[string]string{"LOCALAI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"localAIApiKey": "local-key"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer local-key"},
			wantBody: map[string]any{
				"model": "ggml-gpt4all-j", "messages": openAIMessages, "temperature": 0.2, "max_tokens": float64(64), "top_p": 0.9,
				"stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name:       "env base URL, placeholder key, not streaming",
			data:       `{"id":"chatLocalAI_0","name":"chatLocalAI","inputs":{"modelName":"phi-2","streaming":false}}`,
			env:        map[string]string{"LOCALAI_BASE_URL": "{{URL}}/v1"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer sk-"},
			wantBody:   map[string]any{"model": "phi-2", "messages": openAIMessages},
			wantText:   "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestChatLocalAIErrors(t *testing.T) {
	runErrorCases(t, chatLocalAI, []errorCase{{
		name:   "500",
		data:   `{"id":"l","name":"chatLocalAI","inputs":{"modelName":"m","basePath":"{{URL}}"}}`,
		answer: fail("openai", 500),
		want:   []string{"chatLocalAI: calling localai", "500"},
	}})
}

func TestChatLocalAICancel(t *testing.T) {
	testCancel(t, chatLocalAI, `{"id":"l","name":"chatLocalAI","inputs":{"modelName":"m","basePath":"{{URL}}"}}`, nil, openAIAnswer("openai/stream.sse"))
}
