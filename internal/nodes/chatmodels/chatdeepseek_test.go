package chatmodels

import "testing"

func TestChatDeepseek(t *testing.T) {
	runChatCases(t, chatDeepseek, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "env base URL, every input",
			data: `{"id":"chatDeepseek_0","name":"chatDeepseek","credential":"cred-1","inputs":{
				"modelName":"deepseek-reasoner","temperature":"0.7","maxTokens":"1024","topP":"0.95",
				"frequencyPenalty":"0.5","presencePenalty":"0.5","timeout":"20000","stopSequence":"###",
				"thinking":true,"baseOptions":{"X-Org":"floe"}}}`,
			env:        map[string]string{"DEEPSEEK_BASE_URL": "{{URL}}"},
			creds:      map[string]any{"deepseekApiKey": "ds-key"},
			wantPath:   "/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer ds-key", "X-Org": "floe"},
			wantBody: map[string]any{
				"model": "deepseek-reasoner", "messages": openAIMessages, "temperature": 0.7, "max_tokens": float64(1024),
				"top_p": 0.95, "frequency_penalty": 0.5, "presence_penalty": 0.5, "stop": []any{"###"},
				"thinking": map[string]any{"type": "enabled"},
				"stream":   true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name:     "defaults, not streaming",
			data:     `{"id":"chatDeepseek_0","name":"chatDeepseek","inputs":{"streaming":false}}`,
			env:      map[string]string{"DEEPSEEK_BASE_URL": "{{URL}}/v1"},
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{"model": "deepseek-chat", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestChatDeepseekErrors(t *testing.T) {
	runErrorCases(t, chatDeepseek, []errorCase{{
		name:   "401",
		data:   `{"id":"d","name":"chatDeepseek","inputs":{}}`,
		env:    map[string]string{"DEEPSEEK_BASE_URL": "{{URL}}"},
		answer: fail("openai", 401),
		want:   []string{"chatDeepseek: calling deepseek", "401"},
	}})
}

func TestChatDeepseekCancel(t *testing.T) {
	testCancel(t, chatDeepseek, `{"id":"d","name":"chatDeepseek","inputs":{}}`,
		map[string]string{"DEEPSEEK_BASE_URL": "{{URL}}"}, openAIAnswer("openai/stream.sse"))
}
