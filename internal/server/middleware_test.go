package server

import (
	"slices"
	"testing"

	"github.com/floehq/floe/internal/credentials"
	"github.com/floehq/floe/internal/node"
)

func TestFrameHeaders(t *testing.T) {
	tests := []struct {
		setting, wantCSP, wantXFO string
	}{
		{"", "frame-ancestors 'self'", "SAMEORIGIN"},
		{"IFRAME_ORIGINS='none'", "frame-ancestors 'none'", "DENY"},
		{"IFRAME_ORIGINS=*", "frame-ancestors *", ""},
		{"IFRAME_ORIGINS=https://a.test,https://b.test", "frame-ancestors https://a.test https://b.test", ""},
	}
	for _, tc := range tests {
		t.Run(tc.setting, func(t *testing.T) {
			var extra []string
			if tc.setting != "" {
				extra = append(extra, tc.setting)
			}
			e := newEnv(t, "sqlite", extra...)
			r := e.do(req{method: "GET", path: "/api/v1/ping"})
			if got := r.header.Get("Content-Security-Policy"); got != tc.wantCSP {
				t.Errorf("CSP: got %q, want %q", got, tc.wantCSP)
			}
			if got := r.header.Get("X-Frame-Options"); got != tc.wantXFO {
				t.Errorf("X-Frame-Options: got %q, want %q", got, tc.wantXFO)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	tests := []struct {
		name      string
		setting   string
		method    string
		path      string
		origin    string
		wantAllow string
		wantCode  int
	}{
		{"default: admin route gets no CORS", "", "GET", "/api/v1/ping", "https://evil.test", "", 200},
		{"listed origin", "CORS_ORIGINS=https://app.test", "GET", "/api/v1/ping", "https://app.test", "https://app.test", 200},
		{"listed origin, other case", "CORS_ORIGINS=https://app.test", "GET", "/api/v1/ping", "https://APP.test", "https://APP.test", 200},
		{"unlisted origin", "CORS_ORIGINS=https://app.test", "GET", "/api/v1/ping", "https://evil.test", "", 200},
		{"wildcard", "CORS_ORIGINS=*", "GET", "/api/v1/ping", "https://any.test", "*", 200},
		{"null origin denied", "CORS_ORIGINS=*", "GET", "/api/v1/ping", "null", "", 200},
		{"preflight", "CORS_ORIGINS=https://app.test", "OPTIONS", "/api/v1/chatflows", "https://app.test", "https://app.test", 204},
		{"chatbot path admits any origin", "", "OPTIONS", "/api/v1/prediction/6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11", "https://site.test", "https://site.test", 204},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var extra []string
			if tc.setting != "" {
				extra = append(extra, tc.setting)
			}
			e := newEnv(t, "sqlite", extra...)
			h := map[string]string{"Origin": tc.origin}
			if tc.method == "OPTIONS" {
				h["Access-Control-Request-Method"] = "POST"
				h["Access-Control-Request-Headers"] = "content-type,authorization"
			}
			r := e.do(req{method: tc.method, path: tc.path, header: h})
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tc.wantAllow {
				t.Errorf("Access-Control-Allow-Origin: got %q, want %q", got, tc.wantAllow)
			}
			if r.status != tc.wantCode {
				t.Errorf("status: got %d, want %d", r.status, tc.wantCode)
			}
		})
	}
}

func TestNodeCatalogue(t *testing.T) {
	e := newEnv(t, "sqlite")
	var nodes []node.Spec
	e.mustOK(e.loopback("GET", "/api/v1/nodes", nil), &nodes)
	i := slices.IndexFunc(nodes, func(s node.Spec) bool { return s.Name == "stickyNote" })
	if i < 0 {
		t.Fatalf("GET /nodes: no stickyNote in %d specs", len(nodes))
	}
	var one map[string]any
	e.mustOK(e.loopback("GET", "/api/v1/nodes/stickyNote", nil), &one)
	for _, k := range []string{"label", "name", "version", "type", "category", "baseClasses", "inputs"} {
		if _, ok := one[k]; !ok {
			t.Errorf("stickyNote spec has no %q field: %v", k, one)
		}
	}
	if one["category"] != "Utilities" {
		t.Errorf("stickyNote category: got %v, want Utilities", one["category"])
	}
	var creds []credentials.Spec
	e.mustOK(e.loopback("GET", "/api/v1/components-credentials", nil), &creds)
	var names []string
	for _, c := range creds {
		names = append(names, c.Name)
	}
	for _, want := range []string{"openAIApi", "anthropicApi", "googleGenerativeAI", "azureOpenAIApi", "groqApi", "mistralAIApi"} {
		if !slices.Contains(names, want) {
			t.Errorf("components-credentials: %s missing from %v", want, names)
		}
	}
	var openai map[string]any
	e.mustOK(e.loopback("GET", "/api/v1/components-credentials/openAIApi", nil), &openai)
	inputs, _ := openai["inputs"].([]any)
	if len(inputs) == 0 || inputs[0].(map[string]any)["type"] != "password" {
		t.Errorf("openAIApi spec: got %v, want a password input", openai)
	}
}
