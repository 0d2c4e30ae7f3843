package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

// templates returns every marketplace export under shared/flows/<dir>.
func templates(t *testing.T, dirs ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join(sharedDir(t), "flows", d, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no templates in %s: %v", d, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[d+"/"+filepath.Base(f)] = data
		}
	}
	return out
}

// TestImportTemplatesOverAPI posts every chatflow and agentflow V2 template
// as Flowise's UI would (flowData as a string) and reads it back.
func TestImportTemplatesOverAPI(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			for name, data := range templates(t, "chatflows", "agentflowsv2") {
				flows, err := ChatflowsFromExport(data, ImportOptions{Fallback: name})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				cf := flows[0]
				wantType := store.TypeChatflow
				if strings.HasPrefix(name, "agentflowsv2/") {
					wantType = store.TypeAgentflow
				}
				var created store.ChatFlow
				e.mustOK(e.loopback("POST", "/api/v1/chatflows", map[string]any{"name": cf.Name, "flowData": cf.FlowData}), &created)
				var got store.ChatFlow
				e.mustOK(e.loopback("GET", "/api/v1/chatflows/"+created.ID, nil), &got)
				if got.FlowData != cf.FlowData {
					t.Errorf("%s: flowData changed on the round trip", name)
				}
				if got.Type != wantType || got.Name != cf.Name {
					t.Errorf("%s: got type %q name %q, want %q %q", name, got.Type, got.Name, wantType, cf.Name)
				}
				// The stored flowData still holds the template's nodes and edges.
				var tmpl, stored struct{ Nodes, Edges []json.RawMessage }
				_ = json.Unmarshal(data, &tmpl)
				_ = json.Unmarshal([]byte(got.FlowData), &stored)
				if len(stored.Nodes) != len(tmpl.Nodes) || len(stored.Edges) != len(tmpl.Edges) {
					t.Errorf("%s: got %d nodes %d edges, want %d %d", name, len(stored.Nodes), len(stored.Edges), len(tmpl.Nodes), len(tmpl.Edges))
				}
			}
		})
	}
}

func TestChatflowCRUD(t *testing.T) {
	e := newEnv(t, "sqlite")
	agent := `{"nodes":[{"id":"startAgentflow_0","type":"agentFlow","data":{"id":"startAgentflow_0","name":"startAgentflow","label":"Start","category":"Agent Flows","inputs":{}}}],"edges":[]}`
	var a, b, c store.ChatFlow
	e.mustOK(e.loopback("POST", "/api/v1/chatflows", map[string]any{"name": "a", "flowData": minimalFlow, "chatbotConfig": `{"allowedOrigins":["https://x.test"]}`}), &a)
	e.mustOK(e.loopback("POST", "/api/v1/chatflows", map[string]any{"name": "b", "flowData": agent}), &b)
	// An object flowData (not the usual string) is accepted and stored as text.
	e.mustOK(e.loopback("POST", "/api/v1/chatflows", map[string]any{"name": "c", "flowData": json.RawMessage(minimalFlow), "type": "MULTIAGENT", "id": "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"}), &c)
	if a.Type != "CHATFLOW" || b.Type != "AGENTFLOW" || c.Type != "MULTIAGENT" {
		t.Errorf("got types %s %s %s, want CHATFLOW AGENTFLOW MULTIAGENT", a.Type, b.Type, c.Type)
	}
	if c.ID == "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11" {
		t.Errorf("a client-supplied id was kept; Flowise strips it")
	}
	if a.ChatbotConfig == nil || *a.ChatbotConfig != `{"allowedOrigins":["https://x.test"]}` {
		t.Errorf("chatbotConfig not kept as sent: %v", a.ChatbotConfig)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"c", "b", "a"}},
		{"?type=AGENTFLOW", []string{"b"}},
		{"?type=CHATFLOW", []string{"a"}},
		{"?type=ASSISTANT", nil},
	}
	for _, tc := range tests {
		var list []store.ChatFlow
		e.mustOK(e.loopback("GET", "/api/v1/chatflows"+tc.query, nil), &list)
		var names []string
		for _, f := range list {
			names = append(names, f.Name)
		}
		if diff := cmp.Diff(tc.want, names); diff != "" {
			t.Errorf("GET /chatflows%s (-want +got):\n%s", tc.query, diff)
		}
	}
	var page struct {
		Data  []store.ChatFlow `json:"data"`
		Total int              `json:"total"`
	}
	e.mustOK(e.loopback("GET", "/api/v1/chatflows?page=2&limit=2", nil), &page)
	if page.Total != 3 || len(page.Data) != 1 || page.Data[0].Name != "a" {
		t.Errorf("page 2 of 2: got total %d, %d items, want 3 and [a]", page.Total, len(page.Data))
	}
	// Update merges: only the fields sent change.
	var upd store.ChatFlow
	e.mustOK(e.loopback("PUT", "/api/v1/chatflows/"+a.ID, map[string]any{"name": "a2", "deployed": true}), &upd)
	if upd.Name != "a2" || upd.FlowData != minimalFlow || upd.ChatbotConfig == nil || upd.Deployed == nil || !*upd.Deployed {
		t.Errorf("update: got %+v", upd)
	}
	if !upd.UpdatedDate.After(a.UpdatedDate) && !upd.UpdatedDate.Equal(a.UpdatedDate) {
		t.Errorf("updatedDate went backwards")
	}
	e.mustOK(e.loopback("DELETE", "/api/v1/chatflows/"+a.ID, nil), nil)
	if r := e.loopback("GET", "/api/v1/chatflows/"+a.ID, nil); r.status != 404 {
		t.Errorf("deleted chatflow: got %d, want 404", r.status)
	}
}

func TestPublicChatflowIsSanitized(t *testing.T) {
	e := newEnv(t, "sqlite")
	fd := `{"nodes":[{"id":"chatOpenAI_0","data":{"id":"chatOpenAI_0","name":"chatOpenAI","credential":"cred-uuid","inputParams":[{"name":"apiKey","type":"password"},{"name":"doc","type":"file"},{"name":"temperature","type":"number"}],"inputs":{"apiKey":"sk-secret","doc":"data:text/plain;base64,eA==","temperature":0.5,"cfg":{"FLOWISE_CREDENTIAL_ID":"x"}}}}],"edges":[]}`
	var cf store.ChatFlow
	e.mustOK(e.loopback("POST", "/api/v1/chatflows", map[string]any{"name": "p", "flowData": fd, "isPublic": true}), &cf)
	var got store.ChatFlow
	e.mustOK(e.do(req{method: "GET", path: "/api/v1/public-chatflows/" + cf.ID}), &got)
	for _, secret := range []string{"sk-secret", "cred-uuid", "base64", "FLOWISE_CREDENTIAL_ID"} {
		if strings.Contains(got.FlowData, secret) {
			t.Errorf("public flowData still contains %q: %s", secret, got.FlowData)
		}
	}
	if !strings.Contains(got.FlowData, "temperature") {
		t.Errorf("public flowData lost ordinary inputs: %s", got.FlowData)
	}
}

func TestChatflowsByAPIKey(t *testing.T) {
	e := newEnv(t, "postgres")
	key, keyID := e.newKey("k", "")
	var bound, open store.ChatFlow
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/chatflows", key: key, body: map[string]any{"name": "bound", "flowData": minimalFlow, "apikeyid": keyID}}), &bound)
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/chatflows", key: key, body: map[string]any{"name": "open", "flowData": minimalFlow}}), &open)
	for _, tc := range []struct {
		query string
		want  int
	}{{"", 2}, {"?keyonly=true", 1}} {
		var list []store.ChatFlow
		e.mustOK(e.do(req{method: "GET", path: "/api/v1/chatflows/apikey/" + key + tc.query}), &list)
		if len(list) != tc.want {
			t.Errorf("chatflows/apikey%s: got %d flows, want %d", tc.query, len(list), tc.want)
		}
	}
	var keys []apiKeyView
	e.mustOK(e.do(req{method: "GET", path: "/api/v1/apikey", key: key}), &keys)
	if len(keys) != 1 || len(keys[0].ChatFlows) != 1 || keys[0].ChatFlows[0].FlowName != "bound" {
		t.Errorf("apikey list: got %+v, want one key bound to flow \"bound\"", keys)
	}
	if keys[0].APIKey == key || !strings.Contains(keys[0].APIKey, "…") {
		t.Errorf("apikey list shows %q: want a masked key, the plaintext only at creation", keys[0].APIKey)
	}
}
