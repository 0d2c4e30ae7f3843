package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/store"
)

// templateFlow loads a shared chatflow template and lets patch edit its
// nodes (generic JSON) before it is saved.
func (e *testEnv) importTemplate(name string, patch func(nodes []any), extra map[string]any) string {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir(e.t), "flows", "chatflows", name+".json"))
	if err != nil {
		e.t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		e.t.Fatal(err)
	}
	nodes, _ := doc["nodes"].([]any)
	if patch != nil {
		patch(nodes)
	}
	fd, _ := json.Marshal(map[string]any{"nodes": nodes, "edges": doc["edges"]})
	body := map[string]any{"name": name, "flowData": string(fd)}
	for k, v := range extra {
		body[k] = v
	}
	var cf store.ChatFlow
	e.mustOK(e.loopback("POST", "/api/v1/chatflows", body), &cf)
	return cf.ID
}

// nodeData returns the data object of the node with the given id.
func nodeData(nodes []any, id string) map[string]any {
	for _, n := range nodes {
		nm := n.(map[string]any)
		if nm["id"] == id {
			return nm["data"].(map[string]any)
		}
	}
	panic("no node " + id)
}

func (e *testEnv) credential(credentialName string, fields map[string]any) string {
	e.t.Helper()
	return createIDLoopback(e, "/api/v1/credentials", map[string]any{"name": credentialName, "credentialName": credentialName, "plainDataObj": fields})
}

func createIDLoopback(e *testEnv, path string, body any) string {
	e.t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	e.mustOK(e.loopback("POST", path, body), &v)
	return v.ID
}

// openAIConversation imports "Conversation Chain" wired to the fake.
func (e *testEnv) openAIConversation(fake *llmtest.Provider, extra map[string]any) string {
	cred := e.credential("openAIApi", map[string]any{"openAIApiKey": "sk-test"})
	return e.importTemplate("Conversation Chain", func(nodes []any) {
		d := nodeData(nodes, "chatOpenAI_0")
		d["credential"] = cred
		d["inputs"].(map[string]any)["basepath"] = fake.URL + "/v1"
		d["inputs"].(map[string]any)["modelName"] = "gpt-4o-mini"
	}, extra)
}

type predictionOut struct {
	Text          string `json:"text"`
	JSON          any    `json:"json"`
	Question      string `json:"question"`
	ChatID        string `json:"chatId"`
	ChatMessageID string `json:"chatMessageId"`
	IsStreamValid bool   `json:"isStreamValid"`
	SessionID     string `json:"sessionId"`
	MemoryType    string `json:"memoryType"`
}

func TestConversationChainOpenAI(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			fake := llmtest.NewProvider(t)
			id := e.openAIConversation(fake, nil)

			r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Hello there world", "chatId": "demo-session-1"}})
			var out predictionOut
			e.mustOK(r, &out)
			if out.Text != "echo: Hello there world" || out.ChatID != "demo-session-1" || out.SessionID != "demo-session-1" || out.MemoryType != "Buffer Memory" || out.IsStreamValid || out.ChatMessageID == "" {
				t.Errorf("turn 1: got %+v", out)
			}
			// Same keys, same order as Flowise's response.
			keys := regexp.MustCompile(`"(\w+)":`).FindAllStringSubmatch(string(r.body), -1)
			var order []string
			for _, k := range keys {
				order = append(order, k[1])
			}
			if got, want := strings.Join(order, ","), "text,question,chatId,chatMessageId,isStreamValid,sessionId,memoryType"; got != want {
				t.Errorf("response keys: got %s, want %s", got, want)
			}
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Second turn", "chatId": "demo-session-1"}}), &out)
			reqs := fake.Requests()
			if len(reqs) != 2 {
				t.Fatalf("fake got %d requests, want 2", len(reqs))
			}
			// Exactly what Flowise sent on its second turn (upstream-requests-conversation-chain.jsonl).
			wantMsgs := `[{"content":"The following is a friendly conversation between a human and an AI. The AI is talkative and provides lots of specific details from its context. If the AI does not know the answer to a question, it truthfully says it does not know.","role":"system"},{"content":"Hello there world","role":"user"},{"content":"echo: Hello there world","role":"assistant"},{"content":"Second turn","role":"user"}]`
			if got := mustJSONString(reqs[1].Body["messages"]); got != wantMsgs {
				t.Errorf("second request messages:\n got %s\nwant %s", got, wantMsgs)
			}
			if reqs[1].Body["model"] != "gpt-4o-mini" || reqs[1].Body["temperature"] != 0.9 || reqs[1].Header.Get("Authorization") != "Bearer sk-test" {
				t.Errorf("second request: model %v temperature %v auth %q", reqs[1].Body["model"], reqs[1].Body["temperature"], reqs[1].Header.Get("Authorization"))
			}
			// Another session does not see this one.
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Fresh", "overrideConfig": map[string]any{"sessionId": "other"}}}), &out)
			if msgs := fake.Requests()[2].Body["messages"].([]any); len(msgs) != 2 || out.SessionID != "other" || out.ChatID != "other" {
				t.Errorf("new session: %d messages sent, session %q chat %q; want 2, other, other", len(msgs), out.SessionID, out.ChatID)
			}
			// Two rows per turn.
			rows, err := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id, SessionID: "demo-session-1"})
			if err != nil || len(rows) != 4 || rows[0].Role != "userMessage" || rows[1].Role != "apiMessage" || rows[1].Content != "echo: Hello there world" {
				t.Errorf("stored rows: %v %+v", err, rows)
			}
		})
	}
}

func mustJSONString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestStreamGolden compares the SSE bytes with the stream captured from
// Flowise 3.1.4 (reference/samples/prediction-stream.http).
func TestStreamGolden(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	id := e.openAIConversation(fake, nil)
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Stream me some words", "chatId": "demo-session-2", "streaming": true}})
	if r.status != 200 {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	for k, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("header %s: got %q, want %q", k, got, want)
		}
	}
	sample, err := os.ReadFile(filepath.Join(sharedDir(t), "reference", "samples", "prediction-stream.http"))
	if err != nil {
		t.Fatal(err)
	}
	want := string(sample)[strings.Index(string(sample), "message:"):]
	var rows []store.ChatMessage
	rows, _ = e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id})
	if len(rows) != 2 {
		t.Fatalf("got %d stored rows, want 2", len(rows))
	}
	want = strings.Replace(want, "f9af35f2-140b-444e-8bae-26860e676836", rows[1].ID, 1)
	if got := string(r.body); got != strings.TrimSuffix(want, "\n") && got != want {
		t.Errorf("SSE bytes differ from Flowise's:\n got %q\nwant %q", got, want)
	}
}

// sseEvents splits an SSE body the way flowise-sdk does.
func sseEvents(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "data:"); ok {
			var ev map[string]any
			if err := json.Unmarshal([]byte(rest), &ev); err != nil {
				t.Fatalf("bad event %q: %v", line, err)
			}
			out = append(out, ev)
		}
	}
	return out
}

func eventNames(evs []map[string]any) string {
	var names []string
	for _, ev := range evs {
		names = append(names, fmt.Sprint(ev["event"]))
	}
	return strings.Join(names, ",")
}

// TestProviders runs "Conversation Chain" with each vendor's chat model
// against a fake speaking that vendor's wire format, streaming and not,
// for two turns.
func TestProviders(t *testing.T) {
	tests := []struct {
		node, cred, envVar string
		fields             map[string]any
		wantPath           string
	}{
		{"chatOpenAI", "openAIApi", "OPENAI_BASE_URL", map[string]any{"openAIApiKey": "k"}, "/v1/chat/completions"},
		{"chatAnthropic", "anthropicApi", "ANTHROPIC_BASE_URL", map[string]any{"anthropicApiKey": "k"}, "/v1/messages"},
		{"chatGoogleGenerativeAI", "googleGenerativeAI", "GOOGLE_GEMINI_BASE_URL", map[string]any{"googleGenerativeAPIKey": "k"}, "enerateContent"},
		{"chatOllama", "", "OLLAMA_BASE_URL", nil, "/api/chat"},
	}
	for _, tc := range tests {
		t.Run(tc.node, func(t *testing.T) {
			e := newEnv(t, "sqlite")
			fake := llmtest.NewProvider(t)
			base := fake.URL
			if tc.node == "chatOpenAI" {
				base += "/v1"
			}
			t.Setenv(tc.envVar, base)
			var cred string
			if tc.cred != "" {
				cred = e.credential(tc.cred, tc.fields)
			}
			id := e.importTemplate("Conversation Chain", func(nodes []any) {
				d := nodeData(nodes, "chatOpenAI_0")
				d["name"] = tc.node
				d["credential"] = cred
				d["inputs"] = map[string]any{"temperature": "0.5"}
			}, nil)
			for i, streaming := range []bool{false, true} {
				q := fmt.Sprintf("turn %d", i+1)
				r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": q, "chatId": "s1", "streaming": streaming}})
				if r.status != 200 {
					t.Fatalf("%s: got %d %s", q, r.status, r.body)
				}
				if streaming {
					evs := sseEvents(t, r.body)
					var text string
					for _, ev := range evs {
						if ev["event"] == "token" {
							text += ev["data"].(string)
						}
					}
					if text != "echo: "+q || !strings.HasPrefix(eventNames(evs), "start,token") || !strings.HasSuffix(eventNames(evs), "metadata,end") {
						t.Errorf("stream: text %q events %s", text, eventNames(evs))
					}
				} else {
					var out predictionOut
					r.json(t, &out)
					if out.Text != "echo: "+q {
						t.Errorf("answer: got %q", out.Text)
					}
				}
			}
			reqs := fake.Requests()
			if len(reqs) != 2 || !strings.Contains(reqs[1].Path, tc.wantPath) {
				t.Fatalf("fake got %d requests (%v), want 2 to %s", len(reqs), reqs, tc.wantPath)
			}
			if body := mustJSONString(reqs[1].Body); !strings.Contains(body, "echo: turn 1") {
				t.Errorf("second turn did not carry the first turn: %s", body)
			}
		})
	}
}
