package chatmodels

import "testing"

func TestGroqChat(t *testing.T) {
	runChatCases(t, groqChat, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "env base URL",
			data: `{"id":"groqChat_0","name":"groqChat","credential":"cred-1","inputs":{
				"modelName":"llama-3.3-70b-versatile","temperature":"0.9","maxTokens":"512","streaming":true}}`,
			env:        map[string]string{"GROQ_BASE_URL": "{{URL}}/openai/v1"},
			creds:      map[string]any{"groqApiKey": "gsk_test"},
			wantPath:   "/openai/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer gsk_test"},
			wantBody: map[string]any{
				"model": "llama-3.3-70b-versatile", "messages": openAIMessages, "temperature": 0.9, "max_tokens": float64(512),
				"stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name:     "not streaming",
			data:     `{"id":"groqChat_0","name":"groqChat","inputs":{"modelName":"llama-3.1-8b-instant","streaming":"false"}}`,
			env:      map[string]string{"GROQ_BASE_URL": "{{URL}}"},
			wantPath: "/chat/completions",
			wantBody: map[string]any{"model": "llama-3.1-8b-instant", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestGroqChatErrors(t *testing.T) {
	runErrorCases(t, groqChat, []errorCase{{
		name:   "401",
		data:   `{"id":"g","name":"groqChat","inputs":{"modelName":"m"}}`,
		env:    map[string]string{"GROQ_BASE_URL": "{{URL}}"},
		answer: fail("openai", 401),
		want:   []string{"groqChat: calling groq", "401", "Incorrect API key"},
	}})
}

func TestGroqChatCancel(t *testing.T) {
	testCancel(t, groqChat, `{"id":"g","name":"groqChat","inputs":{"modelName":"m"}}`,
		map[string]string{"GROQ_BASE_URL": "{{URL}}"}, openAIAnswer("openai/stream.sse"))
}
