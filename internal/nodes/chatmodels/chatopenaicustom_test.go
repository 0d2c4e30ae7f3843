package chatmodels

import "testing"

func TestChatOpenAICustom(t *testing.T) {
	runChatCases(t, chatOpenAICustom, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "base path input wins over env",
			data: `{"id":"chatOpenAICustom_0","name":"chatOpenAICustom","credential":"cred-1","inputs":{
				"modelName":"ft:gpt-4o-mini:acme::abc","temperature":"0.5","maxTokens":"50","topP":"0.7",
				"frequencyPenalty":"0.4","presencePenalty":"0.6","basepath":"{{URL}}/v1","baseOptions":"{\"HTTP-Referer\":\"floe\"}"}}`,
			env:        map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"openAIApiKey": "sk-custom"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer sk-custom", "HTTP-Referer": "floe"},
			wantBody: map[string]any{
				"model": "ft:gpt-4o-mini:acme::abc", "messages": openAIMessages, "temperature": 0.5, "max_tokens": float64(50),
				"top_p": 0.7, "frequency_penalty": 0.4, "presence_penalty": 0.6,
				"stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name:     "env base URL, not streaming",
			data:     `{"id":"chatOpenAICustom_0","name":"chatOpenAICustom","inputs":{"modelName":"my-model","streaming":"false"}}`,
			env:      map[string]string{"OPENAI_BASE_URL": "{{URL}}/v1"},
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{"model": "my-model", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestChatOpenAICustomErrors(t *testing.T) {
	runErrorCases(t, chatOpenAICustom, []errorCase{{
		name:   "500",
		data:   `{"id":"c","name":"chatOpenAICustom","inputs":{"modelName":"m","basepath":"{{URL}}"}}`,
		answer: fail("openai", 500),
		want:   []string{"chatOpenAICustom: calling openai", "500"},
	}})
}

func TestChatOpenAICustomCancel(t *testing.T) {
	testCancel(t, chatOpenAICustom, `{"id":"c","name":"chatOpenAICustom","inputs":{"modelName":"m","basepath":"{{URL}}"}}`, nil, openAIAnswer("openai/stream.sse"))
}
