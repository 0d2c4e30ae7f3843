package chatmodels

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// geminiContents is conversation's turns as the Gemini API receives them.
var geminiContents = []any{
	map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Hi"}}},
	map[string]any{"role": "model", "parts": []any{map[string]any{"text": "Hello."}}},
	map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Greet me"}}},
}

// geminiSystem is conversation's system message as the systemInstruction
// the node sends (labelled with the user role, as Google's SDKs do; the
// API ignores it).
var geminiSystem = map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Be brief."}}}

// geminiUsageWant is the usage of the gemini fixtures: thinking tokens count
// as output.
var geminiUsageWant = &llm.Usage{InputTokens: 9, OutputTokens: 21, TotalTokens: 30}

func TestChatGoogleGenerativeAI(t *testing.T) {
	runChatCases(t, chatGoogleGenerativeAI, geminiAnswer, []chatCase{
		{
			name: "base URL input wins over env, every input",
			data: `{"id":"chatGoogleGenerativeAI_0","name":"chatGoogleGenerativeAI","credential":"cred-1","inputs":{
				"modelName":"gemini-2.5-pro","customModelName":"gemini-2.5-flash","temperature":"0.5","maxOutputTokens":"800",
				"topP":"0.75","topK":"40","thinkingBudget":"512","baseUrl":"{{URL}}",
				"safetySettings":"[{\"harmCategory\":\"HARM_CATEGORY_HARASSMENT\",\"harmBlockThreshold\":\"BLOCK_ONLY_HIGH\"},{\"harmCategory\":\"HARM_CATEGORY_HARASSMENT\",\"harmBlockThreshold\":\"BLOCK_NONE\"},{\"harmCategory\":\"HARM_CATEGORY_HATE_SPEECH\"}]"}}`,
			env:        map[string]string{"GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:1/unused"},
			creds:      map[string]any{"googleGenerativeAPIKey": "AIza-test"},
			wantPath:   "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
			wantQuery:  "alt=sse",
			wantHeader: map[string]string{"X-Goog-Api-Key": "AIza-test"},
			wantBody: map[string]any{
				"contents": geminiContents, "systemInstruction": geminiSystem,
				"generationConfig": map[string]any{
					"temperature": 0.5, "topP": 0.75, "topK": float64(40), "maxOutputTokens": float64(800),
					"thinkingConfig": map[string]any{"thinkingBudget": float64(512), "includeThoughts": true},
				},
				"safetySettings": []any{map[string]any{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}},
			},
			wantText: "Hello there!", wantUsage: geminiUsageWant, wantChunks: 2,
		},
		{
			name: "env base URL, thinking level, request stop",
			data: `{"id":"chatGoogleGenerativeAI_0","name":"chatGoogleGenerativeAI","inputs":{"modelName":"gemini-3-flash-preview",
				"thinkingLevel":"LOW","googleGenerativeAPIKey":"k2"}}`,
			env:       map[string]string{"GOOGLE_GEMINI_BASE_URL": "{{URL}}/proxy/"},
			req:       &llm.ChatRequest{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Hi"}}, Stop: []string{"END"}},
			wantPath:  "/proxy/v1beta/models/gemini-3-flash-preview:streamGenerateContent",
			wantQuery: "alt=sse",
			wantBody: map[string]any{
				"contents": []any{map[string]any{"role": "user", "parts": []any{map[string]any{"text": "Hi"}}}},
				"generationConfig": map[string]any{
					"stopSequences":  []any{"END"},
					"thinkingConfig": map[string]any{"thinkingLevel": "LOW", "includeThoughts": true},
				},
			},
			wantText: "Hello there!", wantUsage: geminiUsageWant,
		},
		{
			name:     "defaults, not streaming",
			data:     `{"id":"chatGoogleGenerativeAI_0","name":"chatGoogleGenerativeAI","inputs":{"streaming":false,"baseUrl":"{{URL}}","googleGenerativeAPIKey":"k"}}`,
			wantPath: "/v1beta/models/gemini-1.5-flash-latest:generateContent",
			wantBody: map[string]any{"contents": geminiContents, "systemInstruction": geminiSystem, "generationConfig": map[string]any{}},
			wantText: "Hello there!", wantUsage: geminiUsageWant, wantChunks: 1,
		},
	})
}

func TestChatGoogleGenerativeAIErrors(t *testing.T) {
	runErrorCases(t, chatGoogleGenerativeAI, []errorCase{
		{
			name:   "400 streamed",
			data:   `{"id":"g","name":"chatGoogleGenerativeAI","inputs":{"baseUrl":"{{URL}}","googleGenerativeAPIKey":"bad"}}`,
			answer: fail("gemini", 400),
			want:   []string{"chatGoogleGenerativeAI: calling gemini", "400", "API key not valid"},
		},
		{
			name:   "500 not streamed",
			data:   `{"id":"g","name":"chatGoogleGenerativeAI","inputs":{"baseUrl":"{{URL}}","googleGenerativeAPIKey":"k","streaming":false}}`,
			answer: fail("gemini", 500),
			want:   []string{"chatGoogleGenerativeAI: calling gemini", "500"},
		},
	})
}

func TestChatGoogleGenerativeAINoKey(t *testing.T) {
	setEnv(t, nil)
	var d node.Data
	if err := json.Unmarshal([]byte(`{"id":"g","name":"chatGoogleGenerativeAI","inputs":{}}`), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	_, err := chatGoogleGenerativeAI.Init(t.Context(), &d, &node.Runtime{})
	if err == nil || !strings.Contains(err.Error(), "no googleGenerativeAPIKey") {
		t.Errorf("Init error = %v, want one about the missing key", err)
	}
}

func TestChatGoogleGenerativeAICancel(t *testing.T) {
	testCancel(t, chatGoogleGenerativeAI, `{"id":"g","name":"chatGoogleGenerativeAI","inputs":{"googleGenerativeAPIKey":"k"}}`,
		map[string]string{"GOOGLE_GEMINI_BASE_URL": "{{URL}}"}, geminiAnswer)
}
