package chatmodels

import (
	"testing"

	"github.com/floehq/floe/internal/llm"
)

func TestChatMistralAI(t *testing.T) {
	mistralUsage := &llm.Usage{InputTokens: 11, OutputTokens: 3, TotalTokens: 14}
	runChatCases(t, chatMistralAI, openAIAnswer("mistral/stream.sse"), []chatCase{
		{
			name: "override endpoint wins over env, usage from the last chunk",
			data: `{"id":"chatMistralAI_0","name":"chatMistralAI","credential":"cred-1","inputs":{
				"modelName":"mistral-small-latest","temperature":"0.3","maxOutputTokens":"200","topP":"0.9",
				"randomSeed":"42","safeMode":true,"overrideEndpoint":"{{URL}}"}}`,
			env:        map[string]string{"MISTRAL_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"mistralAIAPIKey": "mis-key"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer mis-key"},
			wantBody: map[string]any{
				"model": "mistral-small-latest", "messages": openAIMessages, "temperature": 0.3, "max_tokens": float64(200),
				"top_p": 0.9, "random_seed": float64(42), "safe_prompt": true, "stream": true,
			},
			wantText: "Hello from Mistral", wantUsage: mistralUsage,
		},
		{
			name:     "env base URL already ending in /v1, defaults",
			data:     `{"id":"chatMistralAI_0","name":"chatMistralAI","inputs":{"overrideEndpoint":""}}`,
			env:      map[string]string{"MISTRAL_BASE_URL": "{{URL}}/v1/"},
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{"model": "mistral-tiny", "messages": openAIMessages, "stream": true},
			wantText: "Hello from Mistral", wantUsage: mistralUsage,
		},
		{
			name:     "not streaming",
			data:     `{"id":"chatMistralAI_0","name":"chatMistralAI","inputs":{"streaming":false,"overrideEndpoint":"{{URL}}"}}`,
			wantPath: "/v1/chat/completions",
			wantBody: map[string]any{"model": "mistral-tiny", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
	})
}

func TestChatMistralAIErrors(t *testing.T) {
	runErrorCases(t, chatMistralAI, []errorCase{{
		name:   "401",
		data:   `{"id":"m","name":"chatMistralAI","inputs":{"overrideEndpoint":"{{URL}}"}}`,
		answer: fail("openai", 401),
		want:   []string{"chatMistralAI: calling mistral", "401"},
	}})
}

func TestChatMistralAICancel(t *testing.T) {
	testCancel(t, chatMistralAI, `{"id":"m","name":"chatMistralAI","inputs":{"overrideEndpoint":"{{URL}}"}}`, nil, openAIAnswer("mistral/stream.sse"))
}
