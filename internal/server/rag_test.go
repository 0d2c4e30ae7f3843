package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/blob"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

const knowledge = `Zubrowka is a small mountain republic. The capital of Zubrowka is Lutz, a city of grand hotels.

The national dish of Quorvia is smoked eel with beetroot, served every winter festival.

Velmora trains run on time: the Velmora railway was electrified in 1931 and never missed a timetable.`

// multipartUpsert builds a multipart body with files and form fields.
func multipartUpsert(t testing.TB, files map[string]string, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, content := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(content))
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (e *testEnv) upsertMultipart(id string, files map[string]string, fields map[string]string) resp {
	e.t.Helper()
	body, ct := multipartUpsert(e.t, files, fields)
	return e.do(req{method: "POST", path: "/api/v1/vector/upsert/" + id, body: body.Bytes(), header: map[string]string{"Content-Type": ct}, remote: "127.0.0.1:1", key: e.adminKey})
}

type upsertOut struct {
	NumAdded   int `json:"numAdded"`
	NumDeleted int `json:"numDeleted"`
	NumUpdated int `json:"numUpdated"`
	NumSkipped int `json:"numSkipped"`
	AddedDocs  []struct {
		PageContent string         `json:"pageContent"`
		Metadata    map[string]any `json:"metadata"`
	} `json:"addedDocs"`
}

// localQnA imports "Local QnA" (ChatOllama + LocalAI embeddings + faiss +
// text file + recursive splitter) wired to the fake.
func (e *testEnv) localQnA(fake *llmtest.Provider, faissDir string) string {
	apiConfig := `{"overrideConfig":{"status":true,"nodes":{"Text File":[{"name":"txtFile","enabled":true}],"Conversational Retrieval QA Chain":[{"name":"returnSourceDocuments","enabled":true}]}}}`
	return e.importTemplate("Local QnA", func(nodes []any) {
		nodeData(nodes, "chatOllama_0")["inputs"].(map[string]any)["baseUrl"] = fake.URL
		nodeData(nodes, "localAIEmbeddings_0")["inputs"].(map[string]any)["basePath"] = fake.URL + "/v1"
		nodeData(nodes, "faiss_0")["inputs"].(map[string]any)["basePath"] = faissDir
		split := nodeData(nodes, "recursiveCharacterTextSplitter_1")["inputs"].(map[string]any)
		split["chunkSize"], split["chunkOverlap"] = "120", "0"
	}, map[string]any{"apiConfig": apiConfig})
}

func TestLocalQnA(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	id := e.localQnA(fake, t.TempDir())
	var up upsertOut
	e.mustOK(e.upsertMultipart(id, map[string]string{"knowledge.txt": knowledge}, nil), &up)
	if up.NumAdded < 3 || len(up.AddedDocs) != up.NumAdded {
		t.Fatalf("upsert: got %+v, want at least 3 chunks added", up)
	}
	fake.Reset()
	var out struct {
		Text            string `json:"text"`
		SourceDocuments []struct {
			PageContent string `json:"pageContent"`
		} `json:"sourceDocuments"`
	}
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "What is the capital of Zubrowka?", "overrideConfig": map[string]any{"returnSourceDocuments": true}}})
	e.mustOK(r, &out)
	if len(out.SourceDocuments) == 0 || !strings.Contains(out.SourceDocuments[0].PageContent, "capital of Zubrowka is Lutz") {
		t.Fatalf("sourceDocuments: got %+v, want the Zubrowka chunk first", out.SourceDocuments)
	}
	var chat string
	for _, rq := range fake.Requests() {
		if strings.HasSuffix(rq.Path, "/api/chat") {
			chat = mustJSONString(rq.Body)
		}
	}
	if !strings.Contains(chat, "capital of Zubrowka is Lutz") {
		t.Errorf("the chat model was not given the retrieved chunk: %s", chat)
	}
	// Loaders are not re-run for a prediction: no file read, no re-embedding of the corpus.
	embeds := 0
	for _, rq := range fake.Requests() {
		if strings.HasSuffix(rq.Path, "/embeddings") {
			embeds++
		}
	}
	if embeds != 1 {
		t.Errorf("a prediction made %d embedding calls, want 1 (the question only)", embeds)
	}
	// The stored answer carries the source documents; streaming sends the event.
	rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id})
	if len(rows) != 2 || rows[1].SourceDocuments == nil || !strings.Contains(*rows[1].SourceDocuments, "Lutz") {
		t.Errorf("stored apiMessage: %+v", rows)
	}
	r = e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Tell me about Velmora trains", "streaming": true, "overrideConfig": map[string]any{"returnSourceDocuments": true}}})
	evs := sseEvents(t, r.body)
	if names := eventNames(evs); !strings.Contains(names, "token,sourceDocuments,metadata,end") {
		t.Errorf("stream events: %s", names)
	}
}

func TestUpsertRecordManager(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	apiConfig := `{"overrideConfig":{"status":true,"nodes":{"Text File":[{"name":"txtFile","enabled":true}]}}}`
	id := e.importTemplate("Local QnA", func(nodes []any) {
		nodeData(nodes, "chatOllama_0")["inputs"].(map[string]any)["baseUrl"] = fake.URL
		nodeData(nodes, "localAIEmbeddings_0")["inputs"].(map[string]any)["basePath"] = fake.URL + "/v1"
		split := nodeData(nodes, "recursiveCharacterTextSplitter_1")["inputs"].(map[string]any)
		split["chunkSize"], split["chunkOverlap"] = "120", "0"
		// Swap faiss for the embedded store with a SQLite record manager.
		vs := nodeData(nodes, "faiss_0")
		vs["name"], vs["label"] = "embeddedVectorStore", "Embedded Vector Store"
		vs["inputs"].(map[string]any)["recordManager"] = "{{SQLiteRecordManager_0.data.instance}}"
	}, map[string]any{"apiConfig": apiConfig})
	// Add the record manager node and its edge to the stored flow.
	var cf store.ChatFlow
	e.mustOK(e.loopback("GET", "/api/v1/chatflows/"+id, nil), &cf)
	var doc map[string]any
	json.Unmarshal([]byte(cf.FlowData), &doc)
	doc["nodes"] = append(doc["nodes"].([]any), map[string]any{"id": "SQLiteRecordManager_0", "type": "customNode",
		"data": map[string]any{"id": "SQLiteRecordManager_0", "name": "SQLiteRecordManager", "label": "SQLite Record Manager", "category": "Record Manager",
			"inputs": map[string]any{"cleanup": "incremental", "sourceIdKey": "source"}}})
	doc["edges"] = append(doc["edges"].([]any), map[string]any{"source": "SQLiteRecordManager_0", "target": "faiss_0", "id": "rm"})
	fd, _ := json.Marshal(doc)
	e.mustOK(e.loopback("PUT", "/api/v1/chatflows/"+id, map[string]any{"flowData": string(fd)}), nil)

	var first, second, third upsertOut
	e.mustOK(e.upsertMultipart(id, map[string]string{"knowledge.txt": knowledge}, nil), &first)
	e.mustOK(e.upsertMultipart(id, map[string]string{"knowledge.txt": knowledge}, nil), &second)
	if first.NumAdded < 3 || second.NumAdded != 0 || second.NumSkipped != first.NumAdded {
		t.Errorf("re-upsert: first %+v, second %+v; want numAdded 0 and numSkipped %d", first, second, first.NumAdded)
	}
	changed := strings.Replace(knowledge, "smoked eel with beetroot", "pickled herring with rye", 1)
	e.mustOK(e.upsertMultipart(id, map[string]string{"knowledge.txt": changed}, nil), &third)
	if third.NumAdded != 1 || third.NumDeleted != 1 || third.NumSkipped != first.NumAdded-1 || third.NumUpdated != 0 {
		t.Errorf("one paragraph changed: got %+v, want added 1, deleted 1, skipped %d", third, first.NumAdded-1)
	}
	var hist []map[string]any
	e.mustOK(e.loopback("GET", "/api/v1/upsert-history/"+id, nil), &hist)
	if len(hist) != 3 {
		t.Errorf("upsert history: got %d rows, want 3", len(hist))
	}
}

func TestUpsertBadInput(t *testing.T) {
	e := newEnv(t, "sqlite", "FLOWISE_FILE_SIZE_LIMIT=64kb")
	e.newKey("admin", "")
	fake := llmtest.NewProvider(t)
	id := e.localQnA(fake, t.TempDir())
	corruptPDF := "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"
	tests := []struct {
		name   string
		files  map[string]string
		fields map[string]string
		status int
		inMsg  string
	}{
		{"unsupported file type", map[string]string{"tool.exe": "MZ..."}, nil, 415, "unsupported file type"},
		{"zero-byte file", map[string]string{"empty.txt": ""}, nil, 400, "empty"},
		{"over the size limit", map[string]string{"big.txt": strings.Repeat("x", 70<<10)}, nil, 413, "too large"},
		{"stopNodeId not a vector store", map[string]string{"a.txt": "hello"}, map[string]string{"stopNodeId": "textFile_0"}, 400, "not a vector store"},
		{"unknown stopNodeId", map[string]string{"a.txt": "hello"}, map[string]string{"stopNodeId": "nope_1"}, 400, "nope_1"},
		{"path in the file name", map[string]string{"../../etc/passwd.txt": "x"}, nil, 400, "path separator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.upsertMultipart(id, tc.files, tc.fields)
			if tc.status == 200 {
				if r.status != 200 {
					t.Errorf("got %d %s", r.status, r.body)
				}
				return
			}
			checkError(t, r, tc.status, tc.inMsg)
		})
	}
	hist, _ := e.db.ListUpsertHistory(t.Context(), store.UpsertHistoryFilter{ChatflowID: id})
	if len(hist) != 0 {
		t.Errorf("upsert history rows: got %d, want 0 (every upsert was refused)", len(hist))
	}
	// A corrupt PDF through the same flow with a PDF loader: 422 naming the
	// file, nothing stored, the uploaded file removed again.
	pdfFlow := e.importTemplate("Local QnA", func(nodes []any) {
		nodeData(nodes, "chatOllama_0")["inputs"].(map[string]any)["baseUrl"] = fake.URL
		nodeData(nodes, "localAIEmbeddings_0")["inputs"].(map[string]any)["basePath"] = fake.URL + "/v1"
		nodeData(nodes, "faiss_0")["inputs"].(map[string]any)["basePath"] = t.TempDir()
		l := nodeData(nodes, "textFile_0")
		l["name"], l["label"] = "pdfFile", "Pdf File"
	}, map[string]any{"apiConfig": `{"overrideConfig":{"status":true,"nodes":{"Pdf File":[{"name":"pdfFile","enabled":true}]}}}`})
	checkError(t, e.upsertMultipart(pdfFlow, map[string]string{"broken.pdf": corruptPDF}, nil), 422, "broken.pdf")
	if h, _ := e.db.ListUpsertHistory(t.Context(), store.UpsertHistoryFilter{ChatflowID: pdfFlow}); len(h) != 0 {
		t.Errorf("a failed upsert wrote %d history rows", len(h))
	}
	if _, err := e.srv.blobs.ReadFile(t.Context(), blob.Key{ChatflowID: pdfFlow, Name: "broken.pdf"}); err == nil {
		t.Errorf("the corrupt upload was kept in storage")
	}
	// Unauthenticated upsert is refused.
	body, ct := multipartUpsert(t, map[string]string{"a.txt": "x"}, nil)
	if r := e.do(req{method: "POST", path: "/api/v1/vector/upsert/" + id, body: body.Bytes(), header: map[string]string{"Content-Type": ct}}); r.status != 401 {
		t.Errorf("no credentials: got %d, want 401", r.status)
	}
}

// fakeGitHub serves a repository through GitHub's REST API.
func fakeGitHub(t *testing.T, files map[string]string) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{owner}/{repo}/git/trees/{ref}", func(w http.ResponseWriter, r *http.Request) {
		var tree []map[string]any
		for p := range files {
			tree = append(tree, map[string]any{"path": p, "type": "blob", "mode": "100644", "sha": "x", "url": "u", "size": len(files[p])})
		}
		json.NewEncoder(w).Encode(map[string]any{"sha": "root", "tree": tree, "truncated": false})
	})
	mux.HandleFunc("GET /repos/{owner}/{repo}/contents/{path...}", func(w http.ResponseWriter, r *http.Request) {
		p := r.PathValue("path")
		c, ok := files[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Accept") == "application/vnd.github.raw" {
			fmt.Fprint(w, c)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"type": "file", "path": p, "name": p, "encoding": "base64", "content": b64(c),
			"download_url": "http://" + r.Host + "/raw/" + p})
	})
	mux.HandleFunc("GET /raw/{path...}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, files[r.PathValue("path")])
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestGithubDocsQnA(t *testing.T) {
	fake := llmtest.NewProvider(t)
	gh := fakeGitHub(t, map[string]string{
		"docs/install.md": "# Install\n\nRun `npm install -g flowise` to install Flowise, then `npx flowise start`.",
		"docs/api.md":     "# API\n\nThe prediction endpoint is POST /api/v1/prediction/{id}.",
	})
	t.Setenv("GITHUB_API_URL", gh.URL)
	ghURL, _ := url.Parse(gh.URL)
	e := newEnvSafe(t, []string{ghURL.Host})
	cred := e.credential("openAIApi", map[string]any{"openAIApiKey": "sk-test"})
	id := e.importTemplate("Github Docs QnA", func(nodes []any) {
		for _, n := range []string{"chatOpenAI_0", "openAIEmbeddings_0"} {
			d := nodeData(nodes, n)
			d["credential"] = cred
			d["inputs"].(map[string]any)["basepath"] = fake.URL + "/v1"
		}
		nodeData(nodes, "github_0")["inputs"].(map[string]any)["repoLink"] = "https://github.com/FlowiseAI/FlowiseDocs"
	}, nil)
	var up upsertOut
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/vector/upsert/" + id, remote: "127.0.0.1:1", body: map[string]any{}}), &up)
	if up.NumAdded != 2 {
		t.Fatalf("upsert: got %+v, want 2 documents", up)
	}
	var out struct {
		Text            string `json:"text"`
		SourceDocuments []struct {
			PageContent string         `json:"pageContent"`
			Metadata    map[string]any `json:"metadata"`
		} `json:"sourceDocuments"`
	}
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "How do I install flowise?"}}), &out)
	if len(out.SourceDocuments) == 0 || !strings.Contains(out.SourceDocuments[0].PageContent, "npm install -g flowise") {
		t.Fatalf("sourceDocuments: %+v", out.SourceDocuments)
	}
	last := fake.Requests()[len(fake.Requests())-1]
	if !strings.Contains(mustJSONString(last.Body), "npm install -g flowise") {
		t.Errorf("the chat model did not get the install doc")
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// newEnvSafe is a SQLite test server whose SSRF-guarded client may reach
// the given loopback hosts (fakes), and nothing else on loopback.
func newEnvSafe(t *testing.T, allow []string) *testEnv {
	t.Helper()
	return newEnvWith(t, storetest.Open(t, "sqlite"), "test-secret-key", func(d *Deps) {
		d.SafeClient = netguard.NewClient(netguard.Options{Allow: allow})
	})
}
