package chatmodels

import (
	"testing"

	"github.com/floehq/floe/internal/llm"
)

// anthropicMessages is conversation's turns as the Messages API receives
// them; the system message goes to the top-level system field.
var anthropicMessages = []any{
	map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Hi"}}},
	map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "Hello."}}},
	map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Greet me"}}},
}

var anthropicSystem = []any{map[string]any{"type": "text", "text": "Be brief."}}

var anthropicUsage = &llm.Usage{InputTokens: 25, OutputTokens: 15, TotalTokens: 40}

func TestChatAnthropic(t *testing.T) {
	withStop := conversation
	withStop.Stop = []string{"\n\nHuman:"}
	runChatCases(t, chatAnthropic, anthropicAnswer("anthropic/stream.sse"), []chatCase{
		{
			name: "env base URL, every sampling input, request stop",
			data: `{"id":"chatAnthropic_0","name":"chatAnthropic","credential":"cred-1","inputs":{
				"modelName":"claude-sonnet-4-5","temperature":"0.4","maxTokensToSample":"1000","topP":"0.9","topK":"40",
				"streaming":true,"extendedThinking":"","budgetTokens":1024,"allowImageUploads":""}}`,
			env:        map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}/"},
			creds:      map[string]any{"anthropicApiKey": "sk-ant-test"},
			req:        &withStop,
			wantPath:   "/v1/messages",
			wantHeader: map[string]string{"X-Api-Key": "sk-ant-test", "Anthropic-Version": "2023-06-01", "Authorization": ""},
			wantBody: map[string]any{
				"model": "claude-sonnet-4-5", "max_tokens": float64(1000), "messages": anthropicMessages, "system": anthropicSystem,
				"temperature": 0.4, "top_p": 0.9, "top_k": float64(40), "stop_sequences": []any{"\n\nHuman:"}, "stream": true,
			},
			wantText: "Hello there!", wantUsage: anthropicUsage, wantChunks: 2,
		},
		{
			name: "adaptive thinking on a model without sampling",
			data: `{"id":"chatAnthropic_0","name":"chatAnthropic","inputs":{"modelName":"claude-opus-4-7","temperature":0.9,
				"topP":"0.5","adaptiveThinking":true,"thinkingEffort":"high"}}`,
			env:      map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}"},
			wantPath: "/v1/messages",
			wantBody: map[string]any{
				"model": "claude-opus-4-7", "max_tokens": float64(8192), "messages": anthropicMessages, "system": anthropicSystem,
				"thinking": map[string]any{"type": "adaptive"}, "output_config": map[string]any{"effort": "high"}, "stream": true,
			},
			wantText: "Hello there!", wantUsage: anthropicUsage,
		},
		{
			name:     "defaults, not streaming",
			data:     `{"id":"chatAnthropic_0","name":"chatAnthropic","inputs":{"streaming":false}}`,
			env:      map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}"},
			wantPath: "/v1/messages",
			wantBody: map[string]any{
				"model": "claude-haiku-4-5", "max_tokens": float64(2048), "messages": anthropicMessages, "system": anthropicSystem,
			},
			wantText: "Hello there!", wantUsage: anthropicUsage, wantChunks: 1,
		},
	})
	runChatCases(t, chatAnthropic, anthropicAnswer("anthropic/stream_thinking.sse"), []chatCase{{
		name: "extended thinking drops temperature and thinking text",
		data: `{"id":"chatAnthropic_0","name":"chatAnthropic","inputs":{"modelName":"claude-3-7-sonnet-latest",
			"temperature":"0.9","extendedThinking":true,"budgetTokens":"1500","maxTokensToSample":"4000"}}`,
		env:      map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}"},
		wantPath: "/v1/messages",
		wantBody: map[string]any{
			"model": "claude-3-7-sonnet-latest", "max_tokens": float64(4000), "messages": anthropicMessages, "system": anthropicSystem,
			"thinking": map[string]any{"type": "enabled", "budget_tokens": float64(1500)}, "stream": true,
		},
		wantText: "Hello there!", wantUsage: anthropicUsage,
	}})
}

func TestChatAnthropicErrors(t *testing.T) {
	env := map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}"}
	runErrorCases(t, chatAnthropic, []errorCase{
		{
			name: "401 streamed", data: `{"id":"a","name":"chatAnthropic","inputs":{"anthropicApiKey":"bad"}}`, env: env,
			answer: fail("anthropic", 401), want: []string{"chatAnthropic: calling anthropic", "401", "invalid x-api-key"},
		},
		{
			name: "500 not streamed", data: `{"id":"a","name":"chatAnthropic","inputs":{"streaming":false}}`, env: env,
			answer: fail("anthropic", 500), want: []string{"chatAnthropic: calling anthropic", "500", "api_error"},
		},
	})
}

func TestChatAnthropicCancel(t *testing.T) {
	testCancel(t, chatAnthropic, `{"id":"a","name":"chatAnthropic","inputs":{}}`,
		map[string]string{"ANTHROPIC_BASE_URL": "{{URL}}"}, anthropicAnswer("anthropic/stream.sse"))
}

func TestSupportsSamplingParams(t *testing.T) {
	for model, want := range map[string]bool{
		"claude-haiku-4-5": true, "claude-opus-4-6": true, "claude-opus-4-7": false,
		"claude-opus-4-7-20260101": false, "us.anthropic.claude-opus-4-8-v1": false, "claude-opus-5-0": false,
		"claude-sonnet-4-6": true, "": true,
	} {
		if got := supportsSamplingParams(model); got != want {
			t.Errorf("supportsSamplingParams(%q) = %v, want %v", model, got, want)
		}
	}
}
