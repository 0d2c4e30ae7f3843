package chatmodels

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
)

// openAIMessages is conversation as the chat completions API receives it.
var openAIMessages = []any{
	map[string]any{"role": "system", "content": "Be brief."},
	map[string]any{"role": "user", "content": "Hi"},
	map[string]any{"role": "assistant", "content": "Hello."},
	map[string]any{"role": "user", "content": "Greet me"},
}

// openAIUsage is the usage of the openai fixtures.
var openAIUsage = &llm.Usage{InputTokens: 19, OutputTokens: 3, TotalTokens: 22}

func TestChatOpenAI(t *testing.T) {
	runChatCases(t, chatOpenAI, openAIAnswer("openai/stream.sse"), []chatCase{
		{
			name: "inputs as Flowise saves them, basepath wins over env",
			data: `{"id":"chatOpenAI_0","name":"chatOpenAI","credential":"cred-1","inputs":{
				"modelName":"gpt-4o-mini","temperature":"0.4","maxTokens":"256","topP":"0.8",
				"frequencyPenalty":"0.1","presencePenalty":"0.2","timeout":"30000","stopSequence":"END, STOP",
				"streaming":true,"basepath":"{{URL}}/v1","baseOptions":"{\"X-Team\":\"floe\"}"}}`,
			env:        map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"openAIApiKey": "sk-test"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": "Bearer sk-test", "X-Team": "floe"},
			wantBody: map[string]any{
				"model": "gpt-4o-mini", "messages": openAIMessages, "temperature": 0.4, "top_p": 0.8,
				"frequency_penalty": 0.1, "presence_penalty": 0.2, "max_completion_tokens": float64(256),
				"stop": []any{"END", "STOP"}, "stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText:   "Hello there!",
			wantUsage:  openAIUsage,
			wantChunks: 3,
		},
		{
			// The inputs and the upstream body of Flowise 3.1.4's own run
			// (shared/reference/samples), apart from the base path.
			name: "the Flowise sample flow",
			data: `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"cache":"","modelName":"gpt-4o-mini",
				"temperature":0.9,"streaming":true,"allowImageUploads":false,"reasoning":false,"reasoningEffort":"",
				"reasoningSummary":"","maxTokens":"","topP":"","frequencyPenalty":"","presencePenalty":"","timeout":"",
				"strictToolCalling":"","stopSequence":"","basepath":"","baseOptions":""}}`,
			env:        map[string]string{"OPENAI_BASE_URL": "{{URL}}/v1"},
			wantPath:   "/v1/chat/completions",
			wantHeader: map[string]string{"Authorization": ""},
			wantBody: map[string]any{
				"model": "gpt-4o-mini", "temperature": 0.9, "stream": true,
				"stream_options": map[string]any{"include_usage": true}, "messages": openAIMessages,
			},
			wantText:  "Hello there!",
			wantUsage: openAIUsage,
		},
		{
			name:     "env override with a path",
			data:     `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"modelName":"gpt-4.1"}}`,
			env:      map[string]string{"OPENAI_BASE_URL": "{{URL}}/proxy/v1/"},
			wantPath: "/proxy/v1/chat/completions",
			wantBody: map[string]any{
				"model": "gpt-4.1", "messages": openAIMessages, "stream": true,
				"stream_options": map[string]any{"include_usage": true},
			},
			wantText:  "Hello there!",
			wantUsage: openAIUsage,
		},
		{
			name:     "not streaming yields one chunk",
			data:     `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"streaming":"false","basepath":"{{URL}}"}}`,
			wantPath: "/chat/completions",
			wantBody: map[string]any{"model": "gpt-4o-mini", "messages": openAIMessages},
			wantText: "Hello there!", wantUsage: openAIUsage, wantChunks: 1,
		},
		{
			name: "reasoning model drops temperature and stop",
			data: `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"modelName":"o3-mini","temperature":"0.9",
				"stopSequence":"x","reasoning":true,"reasoningEffort":"high","basepath":"{{URL}}"}}`,
			req:      &llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Hi"}}, Stop: []string{"y"}},
			wantPath: "/chat/completions",
			wantBody: map[string]any{
				"model": "o3-mini", "messages": []any{map[string]any{"role": "user", "content": "Hi"}},
				"reasoning_effort": "high", "stream": true, "stream_options": map[string]any{"include_usage": true},
			},
			wantText: "Hello there!", wantUsage: openAIUsage,
		},
	})
}

func TestChatOpenAIErrors(t *testing.T) {
	runErrorCases(t, chatOpenAI, []errorCase{
		{
			name:   "401 streamed",
			data:   `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"basepath":"{{URL}}","openAIApiKey":"sk-bad"}}`,
			answer: fail("openai", 401),
			want:   []string{"chatOpenAI: calling openai", "401", "Incorrect API key provided"},
		},
		{
			name:   "500 not streamed",
			data:   `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"basepath":"{{URL}}","streaming":false}}`,
			answer: fail("openai", 500),
			want:   []string{"chatOpenAI: calling openai", "500"},
		},
	})
}

func TestChatOpenAICancel(t *testing.T) {
	testCancel(t, chatOpenAI, `{"id":"chatOpenAI_0","name":"chatOpenAI","inputs":{"basepath":"{{URL}}"}}`, nil, openAIAnswer("openai/stream.sse"))
}

func TestChatOpenAISpec(t *testing.T) {
	// Input names and defaults of Flowise 3.1.4's chatOpenAI as saved in
	// the sample flow's inputParams (shared/reference/samples).
	want := []string{
		"modelName=gpt-4o-mini", "temperature=0.9", "streaming=true", "allowImageUploads=false", "reasoning=false",
		"reasoningEffort", "reasoningSummary", "maxTokens", "topP", "frequencyPenalty", "presencePenalty", "timeout",
		"strictToolCalling", "stopSequence", "basepath", "baseOptions",
	}
	var got []string
	for _, p := range chatOpenAI.Spec.Inputs {
		if p.Name == inCache { // anchors are not in inputParams
			continue
		}
		s := p.Name
		if p.Default != nil {
			s += "=" + fmtDefault(p.Default)
		}
		got = append(got, s)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
}
