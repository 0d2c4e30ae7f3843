package chatmodels

import "testing"

func TestChatOpenRouter(t *testing.T) {
	runChatCases(t, chatOpenRouter, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "base path input wins over env",
			data: `{"id":"chatOpenRouter_0","name":"chatOpenRouter","credential":"cred-1","inputs":{
				"modelName":"anthropic/claude-3.5-sonnet","temperature":"0.9","maxTokens":"300","topP":"0.5",
				"frequencyPenalty":"0.1","presencePenalty":"0.1","basepath":"{{URL}}/api/v1",
				"baseOptions":"{\"HTTP-Referer\":\"https://floe.example\",\"X-Title\":\"Floe\"}"}}`,
			env:        map[string]string{"OPENROUTER_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"openRouterApiKey": "sk-or-test"},
			wantPath:   "/api/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer sk-or-test", "HTTP-Referer": "https://floe.example", "X-Title": "Floe"},
			wantBody: map[string]any{
				"model": "anthropic/claude-3.5-sonnet", "messages": openAIMessages, "temperature": 0.9, "max_tokens": float64(300),
				"top_p": 0.5, "frequency_penalty": 0.1, "presence_penalty": 0.1,
				"stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name:     "env base URL when the input is blank, not streaming",
			data:     `{"id":"chatOpenRouter_0","name":"chatOpenRouter","inputs":{"modelName":"openai/gpt-4o","basepath":"","streaming":false}}`,
			env:      map[string]string{"OPENROUTER_BASE_URL": "{{URL}}/api/v1"},
			wantPath: "/api/v1/chat/completions",
			wantBody: map[string]any{"model": "openai/gpt-4o", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestChatOpenRouterErrors(t *testing.T) {
	runErrorCases(t, chatOpenRouter, []errorCase{{
		name:   "401",
		data:   `{"id":"o","name":"chatOpenRouter","inputs":{"modelName":"m","basepath":"{{URL}}"}}`,
		answer: fail("openai", 401),
		want:   []string{"chatOpenRouter: calling openrouter", "401"},
	}})
}

func TestChatOpenRouterCancel(t *testing.T) {
	testCancel(t, chatOpenRouter, `{"id":"o","name":"chatOpenRouter","inputs":{"modelName":"m","basepath":"{{URL}}"}}`, nil, openAIAnswer("openai/stream.sse"))
}
