package chatmodels

import "testing"

func TestChatTogetherAI(t *testing.T) {
	runChatCases(t, chatTogetherAI, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name:       "env base URL",
			data:       `{"id":"chatTogetherAI_0","name":"chatTogetherAI","credential":"cred-1","inputs":{"modelName":"mistralai/Mixtral-8x7B-Instruct-v0.1","temperature":"0.6"}}`,
			env:        map[string]string{"TOGETHER_BASE_URL": "{{URL}}/v1"},
			creds:      map[string]any{"togetherAIApiKey": "tg-key"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer tg-key"},
			wantBody: map[string]any{
				"model": "mistralai/Mixtral-8x7B-Instruct-v0.1", "messages": openAIMessages, "temperature": 0.6,
				"stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
		{
			name:     "not streaming",
			data:     `{"id":"chatTogetherAI_0","name":"chatTogetherAI","inputs":{"modelName":"m","streaming":"false"}}`,
			env:      map[string]string{"TOGETHER_BASE_URL": "{{URL}}/v1"},
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{"model": "m", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestChatTogetherAIErrors(t *testing.T) {
	runErrorCases(t, chatTogetherAI, []errorCase{{
		name:   "500",
		data:   `{"id":"t","name":"chatTogetherAI","inputs":{"modelName":"m"}}`,
		env:    map[string]string{"TOGETHER_BASE_URL": "{{URL}}"},
		answer: fail("openai", 500),
		want:   []string{"chatTogetherAI: calling together ai", "500"},
	}})
}

func TestChatTogetherAICancel(t *testing.T) {
	testCancel(t, chatTogetherAI, `{"id":"t","name":"chatTogetherAI","inputs":{"modelName":"m"}}`,
		map[string]string{"TOGETHER_BASE_URL": "{{URL}}"}, openAIAnswer("openai/stream.sse"))
}
