package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/store"
)

func TestPredictionChecks(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	key, keyID := e.newKey("flow-key", "")
	open := e.openAIConversation(fake, nil)
	locked := e.openAIConversation(fake, map[string]any{"apikeyid": keyID})
	origins := e.openAIConversation(fake, map[string]any{"chatbotConfig": `{"allowedOrigins":["https://good.test"],"allowedOriginsError":"Not from here"}`})
	limited := e.openAIConversation(fake, map[string]any{"apiConfig": `{"rateLimit":{"status":true,"limitMax":"2","limitDuration":"60","limitMsg":"Slow down please"}}`})
	missing := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
	other, _ := e.newKey("other", key)

	tests := []struct {
		name   string
		rq     req
		status int
		inMsg  string
	}{
		{"no question", req{path: "/api/v1/prediction/" + open, body: map[string]any{}}, 400, "question is required"},
		{"no question, streaming", req{path: "/api/v1/prediction/" + open, body: map[string]any{"streaming": true}}, 400, "question is required"},
		{"unknown chatflow", req{path: "/api/v1/prediction/" + missing, body: map[string]any{"question": "q"}}, 404, "not found in the database"},
		{"unknown chatflow, streaming (Flowise hangs)", req{path: "/api/v1/prediction/" + missing, body: map[string]any{"question": "q", "streaming": true}}, 404, "not found"},
		{"invalid id", req{path: "/api/v1/prediction/abc", body: map[string]any{"question": "q"}}, 400, "Invalid Chatflow ID"},
		{"malformed JSON", req{path: "/api/v1/prediction/" + open, body: `{"question":`}, 400, "malformed JSON"},
		{"question of wrong type", req{path: "/api/v1/prediction/" + open, body: map[string]any{"question": 5}}, 400, `"question"`},
		{"bad history", req{path: "/api/v1/prediction/" + open, body: map[string]any{"question": "q", "history": []any{map[string]any{"role": "system", "content": "x"}}}}, 400, "history[0]"},
		{"bad chatId", req{path: "/api/v1/prediction/" + open, body: map[string]any{"question": "q", "chatId": "../../etc"}}, 400, "chatId"},
		{"missing key", req{path: "/api/v1/prediction/" + locked, body: map[string]any{"question": "q"}}, 401, ""},
		{"wrong key", req{path: "/api/v1/prediction/" + locked, body: map[string]any{"question": "q"}, key: "nope"}, 401, ""},
		{"another valid key", req{path: "/api/v1/prediction/" + locked, body: map[string]any{"question": "q"}, key: other}, 401, ""},
		{"origin not allowed", req{path: "/api/v1/prediction/" + origins, body: map[string]any{"question": "q"}, header: map[string]string{"Origin": "https://evil.test"}}, 403, "Not from here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.rq.method = "POST"
			before := len(fake.Requests())
			r := e.do(tc.rq)
			if tc.status == 401 {
				if r.status != 401 || strings.TrimSpace(string(r.body)) != `{"error":"Unauthorized Access"}` {
					t.Errorf("got %d %s, want 401", r.status, r.body)
				}
			} else {
				checkError(t, r, tc.status, tc.inMsg)
			}
			if len(fake.Requests()) != before {
				t.Errorf("the model was called for a refused request")
			}
		})
	}
	// The right key, an allowed origin and no origin pass.
	for _, rq := range []req{
		{path: "/api/v1/prediction/" + locked, key: key},
		{path: "/api/v1/prediction/" + origins, header: map[string]string{"Origin": "https://good.test"}},
		{path: "/api/v1/prediction/" + origins},
	} {
		rq.method, rq.body = "POST", map[string]any{"question": "q"}
		if r := e.do(rq); r.status != 200 {
			t.Errorf("%s: got %d %s, want 200", rq.path, r.status, r.body)
		}
	}
	// Rate limit: the third request in the window is refused.
	for i, want := range []int{200, 200, 429} {
		r := e.do(req{method: "POST", path: "/api/v1/prediction/" + limited, body: map[string]any{"question": "q"}})
		if r.status != want {
			t.Errorf("request %d: got %d, want %d", i+1, r.status, want)
		}
		if want == 429 {
			checkError(t, r, 429, "Slow down please")
		}
	}
	// Nothing was stored for refused requests.
	rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: open})
	if len(rows) != 0 {
		t.Errorf("got %d rows stored for refused requests", len(rows))
	}
}

// TestSessionIDWithOverridesOff: sessionId in overrideConfig is honoured
// even when overrides are disabled, and nothing else is.
func TestSessionIDWithOverridesOff(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	id := e.openAIConversation(fake, map[string]any{"apiConfig": `{"overrideConfig":{"status":false,"nodes":{"ChatOpenAI":[{"name":"temperature","enabled":true}]}}}`})
	var out predictionOut
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "q", "overrideConfig": map[string]any{"sessionId": "sess-x", "temperature": 0.1}}}), &out)
	if out.SessionID != "sess-x" || out.ChatID != "sess-x" {
		t.Errorf("got session %q chat %q, want sess-x", out.SessionID, out.ChatID)
	}
	if got := fake.Requests()[0].Body["temperature"]; got != 0.9 {
		t.Errorf("temperature with overrides off: got %v, want the saved 0.9", got)
	}
	// With overrides on and temperature enabled, it applies.
	id2 := e.openAIConversation(fake, map[string]any{"apiConfig": `{"overrideConfig":{"status":true,"nodes":{"ChatOpenAI":[{"name":"temperature","enabled":true}]}}}`})
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id2, body: map[string]any{"question": "q", "overrideConfig": map[string]any{"temperature": 0.1, "modelName": "gpt-evil"}}}), &out)
	body := fake.Requests()[1].Body
	if body["temperature"] != 0.1 || body["model"] != "gpt-4o-mini" {
		t.Errorf("overrides on: temperature %v model %v, want 0.1 and the saved model", body["temperature"], body["model"])
	}
}

func TestChatflowStreamingRoute(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	conv := e.openAIConversation(fake, nil)
	post := e.openAIConversation(fake, map[string]any{"chatbotConfig": `{"postProcessing":{"enabled":true}}`})
	for _, tc := range []struct {
		id   string
		want bool
	}{{conv, true}, {post, false}} {
		var v map[string]bool
		e.mustOK(e.do(req{method: "GET", path: "/api/v1/chatflows-streaming/" + tc.id}), &v)
		if v["isStreaming"] != tc.want {
			t.Errorf("%s: got %v, want %v", tc.id, v, tc.want)
		}
	}
	// A streaming request to a flow that cannot stream gets JSON.
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + post, body: map[string]any{"question": "q", "streaming": true}})
	var out predictionOut
	if err := json.Unmarshal(r.body, &out); err != nil || r.status != http.StatusOK || out.IsStreamValid {
		t.Errorf("got %d %s, want a JSON answer", r.status, r.body)
	}
}
