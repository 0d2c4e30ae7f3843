package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/store"
)

// counts is how many rows each management table holds.
func (e *testEnv) counts() [5]int {
	e.t.Helper()
	ctx := e.t.Context()
	_, flows, err1 := e.db.ListChatFlows(ctx, store.ChatFlowFilter{})
	vars, err2 := e.db.ListVariables(ctx)
	tools, err3 := e.db.ListTools(ctx)
	creds, err4 := e.db.ListCredentials(ctx, nil)
	keys, err5 := e.db.ListAPIKeys(ctx)
	for _, err := range []error{err1, err2, err3, err4, err5} {
		if err != nil {
			e.t.Fatalf("counting rows: %v", err)
		}
	}
	return [5]int{flows, len(vars), len(tools), len(creds), len(keys)}
}

func TestBadInput(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect, "FLOWISE_FILE_SIZE_LIMIT=4kb")
			key, _ := e.newKey("k", "")
			flowID := createID(e, key, "/api/v1/chatflows", map[string]any{"name": "f", "flowData": minimalFlow})
			missing := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
			edgeToMissing := strings.Replace(minimalFlow, `"target":"llmChain_0"`, `"target":"llmChain_9"`, 1)
			big := `{"name":"` + strings.Repeat("x", 5000) + `","flowData":"{}"}`
			tests := []struct {
				name      string
				method    string
				path      string
				body      any
				want      int
				wantInMsg string
			}{
				{"malformed JSON", "POST", "/api/v1/chatflows", `{"name": "x",`, 400, "malformed JSON"},
				{"not an object", "POST", "/api/v1/chatflows", `["x"]`, 400, "JSON object"},
				{"empty body", "POST", "/api/v1/variables", ``, 400, "empty"},
				{"trailing garbage", "POST", "/api/v1/variables", `{"name":"a"} {}`, 400, "malformed JSON"},
				{"name of wrong type", "POST", "/api/v1/chatflows", map[string]any{"name": 12, "flowData": minimalFlow}, 400, `"name"`},
				{"isPublic of wrong type", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": minimalFlow, "isPublic": "yes"}, 400, `"isPublic"`},
				{"flowData of wrong type", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": 5}, 400, `"flowData"`},
				{"flowData not JSON", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": "{nodes"}, 400, "flowData"},
				{"flowData without nodes", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": `{"edges":[]}`}, 400, "nodes"},
				{"edge to a missing node", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": edgeToMissing}, 400, "llmChain_9"},
				{"missing name", "POST", "/api/v1/chatflows", map[string]any{"flowData": minimalFlow}, 400, `"name"`},
				{"missing flowData", "POST", "/api/v1/chatflows", map[string]any{"name": "a"}, 400, `"flowData"`},
				{"bad chatflow type", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": minimalFlow, "type": "WORKFLOW"}, 400, "Invalid Chatflow Type"},
				{"unknown api key id", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": minimalFlow, "apikeyid": missing}, 400, "apikeyid"},
				{"chatbotConfig not JSON", "POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": minimalFlow, "chatbotConfig": "{oops"}, 400, "chatbotConfig"},
				{"bad edge on update", "PUT", "/api/v1/chatflows/" + flowID, map[string]any{"flowData": edgeToMissing}, 400, "llmChain_9"},
				{"bad list type filter", "GET", "/api/v1/chatflows?type=NOPE", nil, 400, "Invalid Chatflow Type"},
				{"bad page", "GET", "/api/v1/chatflows?page=-1&limit=5", nil, 400, "page"},
				{"invalid chatflow uuid", "GET", "/api/v1/chatflows/not-a-uuid", nil, 400, "Invalid Chatflow ID"},
				{"invalid uuid on delete", "DELETE", "/api/v1/chatflows/1234", nil, 400, "Invalid Chatflow ID"},
				{"invalid variable uuid", "PUT", "/api/v1/variables/x'%3B%20drop%20table%20variable%3B--", map[string]any{"name": "a"}, 400, "Invalid Variable ID"},
				{"unknown chatflow", "GET", "/api/v1/chatflows/" + missing, nil, 404, missing},
				{"unknown chatflow on update", "PUT", "/api/v1/chatflows/" + missing, map[string]any{"name": "a"}, 404, missing},
				{"unknown chatflow on delete", "DELETE", "/api/v1/chatflows/" + missing, nil, 404, missing},
				{"unknown variable", "DELETE", "/api/v1/variables/" + missing, nil, 404, missing},
				{"unknown tool", "GET", "/api/v1/tools/" + missing, nil, 404, missing},
				{"unknown credential", "GET", "/api/v1/credentials/" + missing, nil, 404, missing},
				{"unknown api key", "PUT", "/api/v1/apikey/" + missing, map[string]any{"keyName": "a"}, 404, missing},
				{"unknown node", "GET", "/api/v1/nodes/noSuchNode", nil, 404, "noSuchNode"},
				{"unknown credential spec", "GET", "/api/v1/components-credentials/nope", nil, 404, "nope"},
				{"unknown credential type", "POST", "/api/v1/credentials", map[string]any{"name": "c", "credentialName": "nope", "plainDataObj": map[string]any{}}, 400, "credentialName"},
				{"plainDataObj not an object", "POST", "/api/v1/credentials", map[string]any{"name": "c", "credentialName": "openAIApi", "plainDataObj": "sk"}, 400, "plainDataObj"},
				{"bad variable type", "POST", "/api/v1/variables", map[string]any{"name": "a", "type": "secret"}, 400, `"type"`},
				{"bad variable name", "POST", "/api/v1/variables", map[string]any{"name": "a b"}, 400, `"name"`},
				{"tool without description", "POST", "/api/v1/tools", map[string]any{"name": "t"}, 400, `"description"`},
				{"tool schema not JSON", "POST", "/api/v1/tools", map[string]any{"name": "t", "description": "d", "schema": "[oops"}, 400, `"schema"`},
				{"api key without a name", "POST", "/api/v1/apikey", map[string]any{}, 400, `"keyName"`},
				{"oversized body", "POST", "/api/v1/chatflows", big, 413, "request entity too large"},
				{"wrong method", "PATCH", "/api/v1/chatflows", nil, 405, "not allowed"},
				{"unknown route", "GET", "/api/v1/nothing-here", nil, 404, "not found"},
			}
			before := e.counts()
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					r := e.do(req{method: tc.method, path: tc.path, body: tc.body, key: key})
					checkError(t, r, tc.want, tc.wantInMsg)
				})
			}
			if after := e.counts(); after != before {
				t.Errorf("rows (chatflows, variables, tools, credentials, keys): got %v after bad requests, want %v", after, before)
			}
		})
	}
}

// checkError asserts Flowise's error body with the given status.
func checkError(t *testing.T, r resp, status int, inMsg string) {
	t.Helper()
	if r.status != status {
		t.Errorf("got status %d (%s), want %d", r.status, r.body, status)
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("got Content-Type %q, want JSON", ct)
	}
	var b struct {
		StatusCode int            `json:"statusCode"`
		Success    *bool          `json:"success"`
		Message    string         `json:"message"`
		Stack      map[string]any `json:"stack"`
	}
	r.json(t, &b)
	if b.StatusCode != status || b.Success == nil || *b.Success || b.Stack == nil {
		t.Errorf("got body %s, want {statusCode:%d, success:false, message, stack:{}}", r.body, status)
	}
	if !strings.Contains(b.Message, inMsg) {
		t.Errorf("got message %q, want it to contain %q", b.Message, inMsg)
	}
}

func TestOversizedChunkedBody(t *testing.T) {
	e := newEnv(t, "sqlite", "FLOWISE_FILE_SIZE_LIMIT=1kb")
	body := `{"name":"` + strings.Repeat("y", 4000) + `"}`
	r := httptest.NewRequest("POST", "/api/v1/variables", io.NopCloser(strings.NewReader(body)))
	r.ContentLength = -1 // as with Transfer-Encoding: chunked
	r.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	checkError(t, resp{status: w.Code, header: w.Header(), body: w.Body.Bytes()}, http.StatusRequestEntityTooLarge, "too large")
	if vars, _ := e.db.ListVariables(t.Context()); len(vars) != 0 {
		t.Errorf("got %d variables stored, want 0", len(vars))
	}
}

func TestMethodNotAllowedHasAllow(t *testing.T) {
	e := newEnv(t, "sqlite")
	r := e.loopback("PATCH", "/api/v1/variables", nil)
	if r.status != 405 || !strings.Contains(r.header.Get("Allow"), "POST") {
		t.Errorf("got %d Allow=%q, want 405 with Allow listing POST", r.status, r.header.Get("Allow"))
	}
}

func TestPanicBecomesJSON500(t *testing.T) {
	e := newEnv(t, "sqlite")
	h := e.srv.recoverAndLog(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/x", nil))
	checkError(t, resp{status: w.Code, header: w.Header(), body: w.Body.Bytes()}, 500, "Internal Server Error")
}
