package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/store"
)

// TestPublicRoutes pins the explicit public list: a route becomes public
// only by being added here too.
func TestPublicRoutes(t *testing.T) {
	e := newEnv(t, "sqlite")
	var got []string
	for _, rt := range e.srv.routes() {
		if rt.access == public {
			got = append(got, rt.pattern)
		}
	}
	want := []string{
		"GET /api/v1/ping",
		"GET /api/v1/version",
		"GET /api/v1/chatflows/apikey/{apikey}",
		"GET /api/v1/public-chatflows/{id}",
		"GET /api/v1/verify/apikey/{apikey}",
		"POST /api/v1/feedback",
		"POST /api/v1/feedback/{id}",
		"PUT /api/v1/feedback/{id}",
		"POST /api/v1/leads",
		"POST /api/v1/leads/{$}",
		"POST /api/v1/prediction/{id}",
		"GET /api/v1/chatflows-streaming/{id}",
		"PUT /api/v1/chatmessage/abort/{chatflowid}/{chatid}",
		"GET /api/v1/chatflows-uploads/{id}",
		"GET /api/v1/public-chatbotConfig/{id}",
		"POST /api/v1/attachments/{chatflowId}/{chatId}",
		"GET /api/v1/get-upload-file",
		"POST /api/v1/text-to-speech/generate",
		"POST /api/v1/text-to-speech/abort",
		"GET /api/v1/text-to-speech/voices",
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("public routes (-want +got):\n%s", diff)
	}
}

// fixtures are rows the admin-route table acts on.
type fixtures struct {
	key, keyID                string
	flow, flowDel             string
	keyUpd, keyDel            string
	variable, variableDel     string
	credential, credentialDel string
	tool, toolDel             string
	publicFlow                string
	ragFlow                   string
	history, history2         string
}

func createID(e *testEnv, key, path string, body any) string {
	e.t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	e.mustOK(e.do(req{method: "POST", path: path, body: body, key: key}), &v)
	if v.ID == "" {
		e.t.Fatalf("POST %s returned no id", path)
	}
	return v.ID
}

func makeFixtures(e *testEnv) fixtures {
	var f fixtures
	f.key, f.keyID = e.newKey("main", "")
	_, f.keyUpd = e.newKey("to-update", f.key)
	_, f.keyDel = e.newKey("to-delete", f.key)
	cf := map[string]any{"name": "f", "flowData": minimalFlow, "type": "CHATFLOW"}
	f.flow = createID(e, f.key, "/api/v1/chatflows", cf)
	f.flowDel = createID(e, f.key, "/api/v1/chatflows", cf)
	f.publicFlow = createID(e, f.key, "/api/v1/chatflows", map[string]any{"name": "p", "flowData": minimalFlow, "isPublic": true})
	f.variable = createID(e, f.key, "/api/v1/variables", map[string]any{"name": "v1", "value": "x"})
	f.variableDel = createID(e, f.key, "/api/v1/variables", map[string]any{"name": "v2", "value": "y"})
	c := map[string]any{"name": "c", "credentialName": "openAIApi", "plainDataObj": map[string]any{"openAIApiKey": "sk-1"}}
	f.credential = createID(e, f.key, "/api/v1/credentials", c)
	f.credentialDel = createID(e, f.key, "/api/v1/credentials", c)
	tl := map[string]any{"name": "t", "description": "d", "color": "#fff", "schema": "[]", "func": "return 1"}
	f.tool = createID(e, f.key, "/api/v1/tools", tl)
	f.toolDel = createID(e, f.key, "/api/v1/tools", tl)
	fake := llmtest.NewProvider(e.t)
	f.ragFlow = createID(e, f.key, "/api/v1/chatflows", map[string]any{"name": "rag", "flowData": plainTextRAG(fake.URL, f.credential)})
	for _, h := range []*string{&f.history, &f.history2} {
		row := &store.UpsertHistory{ChatflowID: f.ragFlow, Result: "{}", FlowData: "[]"}
		if err := e.db.CreateUpsertHistory(e.t.Context(), row); err != nil {
			e.t.Fatal(err)
		}
		*h = row.ID
	}
	return f
}

// plainTextRAG is a plain text loader, OpenAI embeddings (the fake) and the
// in-memory vector store feeding a retrieval QA chain.
func plainTextRAG(fakeURL, credID string) string {
	n := func(id, name, cat string, inputs map[string]any) map[string]any {
		return map[string]any{"id": id, "type": "customNode", "data": map[string]any{"id": id, "name": name, "label": name, "category": cat, "inputs": inputs, "credential": credID}}
	}
	doc := map[string]any{
		"nodes": []any{
			n("plainText_0", "plainText", "Document Loaders", map[string]any{"text": "The capital of Zubrowka is Lutz."}),
			n("openAIEmbeddings_0", "openAIEmbeddings", "Embeddings", map[string]any{"basepath": fakeURL + "/v1"}),
			n("memoryVectorStore_0", "memoryVectorStore", "Vector Stores", map[string]any{"document": []any{"{{plainText_0.data.instance}}"}, "embeddings": "{{openAIEmbeddings_0.data.instance}}"}),
			n("chatOpenAI_0", "chatOpenAI", "Chat Models", map[string]any{"basepath": fakeURL + "/v1"}),
			n("retrievalQAChain_0", "retrievalQAChain", "Chains", map[string]any{"model": "{{chatOpenAI_0.data.instance}}", "vectorStoreRetriever": "{{memoryVectorStore_0.data.instance}}"}),
		},
		"edges": []any{
			map[string]any{"id": "e1", "source": "plainText_0", "target": "memoryVectorStore_0"},
			map[string]any{"id": "e2", "source": "openAIEmbeddings_0", "target": "memoryVectorStore_0"},
			map[string]any{"id": "e3", "source": "memoryVectorStore_0", "target": "retrievalQAChain_0"},
			map[string]any{"id": "e4", "source": "chatOpenAI_0", "target": "retrievalQAChain_0"},
		},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// adminCalls has one valid call per admin route, keyed by route pattern.
func adminCalls(f fixtures) map[string]req {
	cf := map[string]any{"name": "n", "flowData": minimalFlow}
	return map[string]req{
		"GET /api/v1/chatflows":                     {path: "/api/v1/chatflows"},
		"POST /api/v1/chatflows":                    {path: "/api/v1/chatflows", body: cf},
		"GET /api/v1/chatflows/{id}":                {path: "/api/v1/chatflows/" + f.flow},
		"PUT /api/v1/chatflows/{id}":                {path: "/api/v1/chatflows/" + f.flow, body: map[string]any{"name": "renamed"}},
		"DELETE /api/v1/chatflows/{id}":             {path: "/api/v1/chatflows/" + f.flowDel},
		"GET /api/v1/apikey":                        {path: "/api/v1/apikey"},
		"POST /api/v1/apikey":                       {path: "/api/v1/apikey", body: map[string]any{"keyName": "k"}},
		"PUT /api/v1/apikey/{id}":                   {path: "/api/v1/apikey/" + f.keyUpd, body: map[string]any{"keyName": "k2"}},
		"DELETE /api/v1/apikey/{id}":                {path: "/api/v1/apikey/" + f.keyDel},
		"GET /api/v1/variables":                     {path: "/api/v1/variables"},
		"POST /api/v1/variables":                    {path: "/api/v1/variables", body: map[string]any{"name": "v3"}},
		"PUT /api/v1/variables/{id}":                {path: "/api/v1/variables/" + f.variable, body: map[string]any{"name": "v1", "value": "z"}},
		"DELETE /api/v1/variables/{id}":             {path: "/api/v1/variables/" + f.variableDel},
		"GET /api/v1/credentials":                   {path: "/api/v1/credentials"},
		"POST /api/v1/credentials":                  {path: "/api/v1/credentials", body: map[string]any{"name": "c", "credentialName": "anthropicApi", "plainDataObj": map[string]any{"anthropicApiKey": "a"}}},
		"GET /api/v1/credentials/{id}":              {path: "/api/v1/credentials/" + f.credential},
		"PUT /api/v1/credentials/{id}":              {path: "/api/v1/credentials/" + f.credential, body: map[string]any{"name": "c2", "credentialName": "openAIApi"}},
		"DELETE /api/v1/credentials/{id}":           {path: "/api/v1/credentials/" + f.credentialDel},
		"GET /api/v1/tools":                         {path: "/api/v1/tools"},
		"POST /api/v1/tools":                        {path: "/api/v1/tools", body: map[string]any{"name": "t", "description": "d"}},
		"GET /api/v1/tools/{id}":                    {path: "/api/v1/tools/" + f.tool},
		"PUT /api/v1/tools/{id}":                    {path: "/api/v1/tools/" + f.tool, body: map[string]any{"name": "t2", "description": "d2"}},
		"DELETE /api/v1/tools/{id}":                 {path: "/api/v1/tools/" + f.toolDel},
		"GET /api/v1/chatmessage/{id}":              {path: "/api/v1/chatmessage/" + f.flow + "?feedback=true"},
		"DELETE /api/v1/chatmessage/{id}":           {path: "/api/v1/chatmessage/" + f.flow + "?chatId=c"},
		"GET /api/v1/feedback/{id}":                 {path: "/api/v1/feedback/" + f.flow},
		"GET /api/v1/leads/{id}":                    {path: "/api/v1/leads/" + f.flow},
		"POST /api/v1/vector/upsert/{id}":           {path: "/api/v1/vector/upsert/" + f.ragFlow, body: map[string]any{}},
		"GET /api/v1/upsert-history/{id}":           {path: "/api/v1/upsert-history/" + f.ragFlow},
		"PATCH /api/v1/upsert-history/{$}":          {path: "/api/v1/upsert-history/", body: map[string]any{"ids": []string{f.history}}},
		"PATCH /api/v1/upsert-history/{id}":         {path: "/api/v1/upsert-history/" + f.history2},
		"GET /api/v1/nodes":                         {path: "/api/v1/nodes"},
		"GET /api/v1/nodes/{name}":                  {path: "/api/v1/nodes/stickyNote"},
		"GET /api/v1/components-credentials":        {path: "/api/v1/components-credentials"},
		"GET /api/v1/components-credentials/{name}": {path: "/api/v1/components-credentials/openAIApi"},
	}
}

func TestAdminAuth(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			f := makeFixtures(e)
			calls := adminCalls(f)
			var adminRoutes []string
			for _, rt := range e.srv.routes() {
				if rt.access == admin {
					adminRoutes = append(adminRoutes, rt.pattern)
				}
			}
			covered := adminRoutes[:0:0]
			for _, pattern := range adminRoutes {
				c, ok := calls[pattern]
				if !ok {
					t.Errorf("admin route %s has no entry in the auth table", pattern)
					continue
				}
				c.method, _, _ = strings.Cut(pattern, " ")
				calls[pattern] = c
				covered = append(covered, pattern)
			}
			adminRoutes = covered
			unauthorized := []struct {
				name string
				mod  func(req) req
			}{
				{"no credentials", func(r req) req { return r }},
				{"no credentials from loopback once a key exists", func(r req) req { r.remote = "127.0.0.1:1"; return r }},
				{"wrong key", func(r req) req { r.key = "not-a-key"; return r }},
				{"key with a typo", func(r req) req { r.key = f.key[:len(f.key)-1] + "x"; return r }},
				{"basic auth when not configured", func(r req) req { r.header = map[string]string{"Authorization": "Basic YTpi"}; return r }},
			}
			for _, u := range unauthorized {
				for _, pattern := range adminRoutes {
					r := e.do(u.mod(calls[pattern]))
					if r.status != http.StatusUnauthorized || strings.TrimSpace(string(r.body)) != `{"error":"Unauthorized Access"}` {
						t.Errorf("%s: %s: got %d %s, want 401 Unauthorized Access", u.name, pattern, r.status, r.body)
					}
				}
			}
			for _, pattern := range adminRoutes {
				c := calls[pattern]
				c.key = f.key
				if r := e.do(c); r.status < 200 || r.status > 299 {
					t.Errorf("valid key: %s: got %d %s, want 2xx", pattern, r.status, r.body)
				}
			}
			// Delete the key used above: it stops working at once.
			other, _ := e.newKey("other", f.key)
			e.mustOK(e.do(req{method: "DELETE", path: "/api/v1/apikey/" + f.keyID, key: other}), nil)
			for _, pattern := range adminRoutes {
				c := calls[pattern]
				c.key = f.key
				if r := e.do(c); r.status != http.StatusUnauthorized {
					t.Errorf("deleted key: %s: got %d %s, want 401", pattern, r.status, r.body)
				}
			}
			// Public routes need nothing.
			for _, p := range []string{"/api/v1/ping", "/api/v1/version", "/api/v1/verify/apikey/" + other,
				"/api/v1/chatflows/apikey/" + other, "/api/v1/public-chatflows/" + f.publicFlow} {
				if r := e.do(req{method: "GET", path: p}); r.status != http.StatusOK {
					t.Errorf("public %s: got %d %s, want 200", p, r.status, r.body)
				}
			}
			for _, p := range []string{"/api/v1/verify/apikey/" + f.key, "/api/v1/chatflows/apikey/" + f.key, "/api/v1/public-chatflows/" + f.flow} {
				if r := e.do(req{method: "GET", path: p}); r.status != http.StatusUnauthorized {
					t.Errorf("public %s with a deleted key or private flow: got %d %s, want 401", p, r.status, r.body)
				}
			}
		})
	}
}

func TestLoopbackOpenUntilFirstKey(t *testing.T) {
	e := newEnv(t, "sqlite")
	if r := e.loopback("GET", "/api/v1/chatflows", nil); r.status != http.StatusOK {
		t.Errorf("loopback with no keys: got %d, want 200", r.status)
	}
	if r := e.do(req{method: "GET", path: "/api/v1/chatflows"}); r.status != http.StatusUnauthorized {
		t.Errorf("remote with no keys: got %d, want 401", r.status)
	}
	if r := e.do(req{method: "GET", path: "/api/v1/chatflows", remote: "[::1]:80"}); r.status != http.StatusOK {
		t.Errorf("IPv6 loopback with no keys: got %d, want 200", r.status)
	}
	if r := e.do(req{method: "GET", path: "/api/v1/chatflows", header: map[string]string{"X-Forwarded-For": "127.0.0.1"}}); r.status != http.StatusUnauthorized {
		t.Errorf("spoofed X-Forwarded-For: got %d, want 401", r.status)
	}
	key, _ := e.newKey("first", "")
	if r := e.do(req{method: "GET", path: "/api/v1/chatflows", remote: "127.0.0.1:4000"}); r.status != http.StatusUnauthorized {
		t.Errorf("loopback once a key exists: got %d, want 401", r.status)
	}
	if r := e.do(req{method: "GET", path: "/api/v1/chatflows", key: key}); r.status != http.StatusOK {
		t.Errorf("remote with the key: got %d, want 200", r.status)
	}
}

func TestBasicAuth(t *testing.T) {
	e := newEnv(t, "sqlite", "FLOWISE_USERNAME=admin", "FLOWISE_PASSWORD=s3cret")
	tests := []struct {
		name   string
		header map[string]string
		remote string
		want   int
	}{
		{"right credentials", map[string]string{"Authorization": basic("admin", "s3cret")}, "", 200},
		{"wrong password", map[string]string{"Authorization": basic("admin", "nope")}, "", 401},
		{"wrong user", map[string]string{"Authorization": basic("root", "s3cret")}, "", 401},
		{"nothing, even from loopback", nil, "127.0.0.1:9", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(req{method: "GET", path: "/api/v1/chatflows", header: tc.header, remote: tc.remote})
			if r.status != tc.want {
				t.Errorf("got %d %s, want %d", r.status, r.body, tc.want)
			}
		})
	}
}

func basic(u, p string) string {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(u, p)
	return r.Header.Get("Authorization")
}

func TestAPIKeyFormat(t *testing.T) {
	key, secret, lookup, err := newAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != 43 || strings.ContainsAny(key, "+/=") {
		t.Errorf("key %q: want 43 base64url characters", key)
	}
	hash, salt, ok := strings.Cut(secret, ".")
	if !ok || len(hash) != 128 || len(salt) != 16 {
		t.Errorf("secret %q: want 128 hex chars, '.', 16 hex chars", secret)
	}
	if !verifySecret(key, secret) || verifySecret(key+"x", secret) {
		t.Errorf("verifySecret does not tell the key from another")
	}
	if lookup != keyLookupHash(key) || strings.Contains(secret, key) {
		t.Errorf("lookup hash or secret wrong")
	}
	// Known answer from Node: crypto.scryptSync("floe-test-key",
	// "0011223344556677", 64).toString("hex"), Flowise's parameters.
	const nodeHash = "b2a4c07587a4e2c966951d9f173bf461f71938d240b44a2f46419b18750aa64d15514b38769a36e3f467b96d09152e6a3c3fce2f3e28821643ff67dbac4a17cf"
	got, err := hashAPIKey("floe-test-key", "0011223344556677")
	if err != nil {
		t.Fatal(err)
	}
	if want := nodeHash + ".0011223344556677"; got != want {
		t.Errorf("hashAPIKey: got %s, want %s", got, want)
	}
	if !verifySecret("floe-test-key", nodeHash+".0011223344556677") {
		t.Errorf("a Flowise-made secret does not verify")
	}
}
