package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/floehq/floe/internal/blob/s3test"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/netguard"
	"github.com/floehq/floe/internal/speechtotext"
	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

// tinyPNG encodes a 2×2 image of one colour.
func tinyPNG(t testing.TB, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for x := range 2 {
		for y := range 2 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func dataURL(mime string, data []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// uploadEnv is a SQLite test server with its blob root at a known place
// inside a parent directory (to check nothing is written beside it), and
// an SSRF-guarded client that may reach the given loopback fakes.
func uploadEnv(t *testing.T, allow []string, adjust func(*Deps)) (*testEnv, string, string) {
	t.Helper()
	parent := t.TempDir()
	root := filepath.Join(parent, "storage")
	e := newEnvWith(t, storetest.Open(t, "sqlite"), "test-secret-key", func(d *Deps) {
		d.SafeClient = netguard.NewClient(netguard.Options{Allow: allow})
		if adjust != nil {
			adjust(d)
		}
	}, "BLOB_STORAGE_PATH="+root)
	return e, parent, root
}

// filesUnder lists the regular files below dir, relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// TestImageUploads sends an uploaded image and an image URL with a
// question to "Conversation Chain" with each vision-capable vendor: the
// fake receives both as that vendor's image parts, the stored message
// keeps no base64, and the next turn replays the stored image.
func TestImageUploads(t *testing.T) {
	red := tinyPNG(t, color.RGBA{255, 0, 0, 255})
	blue := tinyPNG(t, color.RGBA{0, 0, 255, 255})
	pics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(blue)
	}))
	t.Cleanup(pics.Close)
	picURL := pics.URL + "/blue.png"
	redB64, blueB64 := base64.StdEncoding.EncodeToString(red), base64.StdEncoding.EncodeToString(blue)

	type check func(body string) (uploaded, byURL bool)
	contains := func(subs ...string) func(string) bool {
		return func(body string) bool {
			for _, s := range subs {
				if !strings.Contains(body, s) {
					return false
				}
			}
			return true
		}
	}
	tests := []struct {
		node, cred, envVar string
		fields             map[string]any
		check              check
	}{
		{"chatOpenAI", "openAIApi", "OPENAI_BASE_URL", map[string]any{"openAIApiKey": "k"}, func(b string) (bool, bool) {
			return contains(`"type":"image_url"`, `"url":"data:image/png;base64,`+redB64+`"`)(b), contains(`"url":"` + picURL + `"`)(b)
		}},
		{"chatAnthropic", "anthropicApi", "ANTHROPIC_BASE_URL", map[string]any{"anthropicApiKey": "k"}, func(b string) (bool, bool) {
			return contains(`"type":"image"`, `"media_type":"image/png"`, `"data":"`+redB64+`"`)(b), contains(`"url":"` + picURL + `"`)(b)
		}},
		{"chatGoogleGenerativeAI", "googleGenerativeAI", "GOOGLE_GEMINI_BASE_URL", map[string]any{"googleGenerativeAPIKey": "k"}, func(b string) (bool, bool) {
			// Gemini takes inline bytes only: the URL image is fetched.
			return contains(`"inlineData"`, `"data":"`+redB64+`"`)(b), contains(`"data":"` + blueB64 + `"`)(b)
		}},
		{"chatOllama", "", "OLLAMA_BASE_URL", nil, func(b string) (bool, bool) {
			return contains(`"images":["` + redB64)(b), contains(blueB64)(b)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.node, func(t *testing.T) {
			pu, _ := url.Parse(pics.URL)
			e, _, root := uploadEnv(t, []string{pu.Host}, nil)
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
				d["inputs"] = map[string]any{"allowImageUploads": true}
			}, nil)
			const chat = "image-chat-1"
			r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{
				"question": "What colours are these?", "chatId": chat,
				"uploads": []map[string]any{
					{"type": "file", "name": "red.png", "mime": "image/png", "data": dataURL("image/png", red)},
					{"type": "url", "name": "blue.png", "mime": "image/png", "data": picURL},
				}}})
			var out predictionOut
			e.mustOK(r, &out)
			reqs := fake.Requests()
			if len(reqs) != 1 {
				t.Fatalf("fake got %d requests, want 1", len(reqs))
			}
			body := mustJSONString(reqs[0].Body)
			if up, byURL := tc.check(body); !up || !byURL {
				t.Fatalf("turn 1: uploaded image part sent %v, URL image sent %v; request: %.600s", up, byURL, body)
			}
			// Stored: the file under the chat, the message without base64.
			if got := filesUnder(t, root); len(got) != 1 || got[0] != id+"/"+chat+"/red.png" {
				t.Errorf("stored files %v, want only %s/%s/red.png", got, id, chat)
			}
			rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id})
			if len(rows) != 2 || rows[0].FileUploads == nil {
				t.Fatalf("stored rows: %+v", rows)
			}
			fu := *rows[0].FileUploads
			if strings.Contains(fu, redB64) || strings.Contains(fu, "base64") {
				t.Errorf("the stored fileUploads keep image data: %s", fu)
			}
			var items []map[string]any
			if err := json.Unmarshal([]byte(fu), &items); err != nil || len(items) != 2 ||
				items[0]["type"] != "stored-file" || items[0]["name"] != "red.png" || items[1]["type"] != "url" || items[1]["data"] != picURL {
				t.Errorf("stored fileUploads = %s", fu)
			}
			// Turn 2 replays the stored image from storage.
			fake.Reset()
			e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "And the first one?", "chatId": chat}}), &out)
			body = mustJSONString(fake.Requests()[0].Body)
			if up, _ := tc.check(body); !up {
				t.Errorf("turn 2 did not replay the stored image: %.600s", body)
			}
		})
	}
}

// A chat model with image uploads off gets the question without the image.
func TestImageUploadsIgnoredWhenOff(t *testing.T) {
	e, _, _ := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	t.Setenv("GOOGLE_GEMINI_BASE_URL", fake.URL)
	cred := e.credential("googleGenerativeAI", map[string]any{"googleGenerativeAPIKey": "k"})
	id := e.importTemplate("Conversation Chain", func(nodes []any) {
		d := nodeData(nodes, "chatOpenAI_0")
		d["name"], d["credential"], d["inputs"] = "chatGoogleGenerativeAI", cred, map[string]any{}
	}, nil)
	red := tinyPNG(t, color.RGBA{255, 0, 0, 255})
	var out predictionOut
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Colour?",
		"uploads": []map[string]any{{"type": "file", "name": "red.png", "mime": "image/png", "data": dataURL("image/png", red)}}}}), &out)
	if out.Text != "echo: Colour?" {
		t.Errorf("answer %q", out.Text)
	}
	if body := mustJSONString(fake.Requests()[0].Body); strings.Contains(body, "inlineData") {
		t.Errorf("image sent to a model with image uploads off: %.400s", body)
	}
}

// whisperFake is an OpenAI audio transcription endpoint.
type whisperFake struct {
	*httptest.Server
	mu     sync.Mutex
	calls  int
	file   []byte
	fields map[string]string
	fname  string
	fail   bool
	text   string
}

func newWhisperFake(t *testing.T, text string) *whisperFake {
	f := &whisperFake{text: text}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls++
		if r.URL.Path != "/v1/audio/transcriptions" || r.Header.Get("Authorization") != "Bearer sk-whisper" {
			http.Error(w, `{"error":{"message":"bad path or key"}}`, http.StatusUnauthorized)
			return
		}
		if f.fail {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":{"message":"the whisper fake was told to fail"}}`)
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, "not multipart", http.StatusBadRequest)
			return
		}
		f.fields = map[string]string{}
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(p)
			if p.FormName() == "file" {
				f.file, f.fname = b, p.FileName()
			} else {
				f.fields[p.FormName()] = string(b)
			}
		}
		json.NewEncoder(w).Encode(map[string]string{"text": f.text})
	}))
	t.Cleanup(f.Close)
	return f
}

// TestAudioUpload: with openAIWhisper on, an audio upload is sent to the
// transcription endpoint as multipart, the transcript is the question the
// model answers, and it is returned and stored as the question.
func TestAudioUpload(t *testing.T) {
	whisper := newWhisperFake(t, "What is the capital of Zubrowka?")
	e, _, root := uploadEnv(t, nil, nil)
	// The fake's base URL, with the server's credential store behind it.
	e.srv.stt = speechtotext.New(nil, credentialResolver{e.srv})
	e.srv.stt.Getenv = func(k string) string {
		if k == "OPENAI_BASE_URL" {
			return whisper.URL + "/v1"
		}
		return ""
	}
	fake := llmtest.NewProvider(t)
	cred := e.credential("openAIApi", map[string]any{"openAIApiKey": "sk-whisper"})
	stt := fmt.Sprintf(`{"openAIWhisper":{"status":true,"credentialId":%q,"language":"en"}}`, cred)
	id := e.openAIConversation(fake, map[string]any{"speechToText": stt})
	audio := []byte("\x1aE\xdf\xa3fake webm recording")
	for _, tc := range []struct{ name, mime string }{{"rec.webm", "audio/webm"}, {"rec.wav", "audio/wav"}} {
		t.Run(tc.name, func(t *testing.T) {
			fake.Reset()
			chat := "voice-" + strings.ReplaceAll(tc.name, ".", "-")
			r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "", "chatId": chat,
				"uploads": []map[string]any{{"type": "audio", "name": tc.name, "mime": tc.mime, "data": dataURL(tc.mime, audio)}}}})
			var out predictionOut
			e.mustOK(r, &out)
			if out.Question != "What is the capital of Zubrowka?" || out.Text != "echo: What is the capital of Zubrowka?" {
				t.Errorf("response question %q text %q, want the transcript and its answer", out.Question, out.Text)
			}
			whisper.mu.Lock()
			if !bytes.Equal(whisper.file, audio) || whisper.fname != tc.name || whisper.fields["model"] != "whisper-1" || whisper.fields["language"] != "en" {
				t.Errorf("transcription request: file %q name %q fields %v", whisper.file, whisper.fname, whisper.fields)
			}
			whisper.mu.Unlock()
			rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id, ChatID: chat})
			if len(rows) != 2 || rows[0].Content != "What is the capital of Zubrowka?" {
				t.Errorf("stored user message: %+v", rows)
			}
			if got := filesUnder(t, filepath.Join(root, id, chat)); len(got) != 1 || got[0] != tc.name {
				t.Errorf("stored audio: %v", got)
			}
		})
	}
	// Streaming: the metadata event carries the transcript as the question.
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"chatId": "voice-stream", "streaming": true,
		"uploads": []map[string]any{{"type": "audio", "name": "s.ogg", "mime": "audio/ogg", "data": dataURL("audio/ogg", audio)}}}})
	sawMeta := false
	for _, ev := range sseEvents(t, r.body) {
		if ev["event"] == "metadata" {
			meta, _ := ev["data"].(map[string]any)
			sawMeta = meta["question"] == "What is the capital of Zubrowka?"
		}
	}
	if !sawMeta {
		t.Errorf("the metadata event does not carry the transcript: %s", r.body)
	}
	// A transcription failure is a clear error; the model is not called
	// with an empty question and nothing is stored.
	whisper.mu.Lock()
	whisper.fail = true
	whisper.mu.Unlock()
	fake.Reset()
	r = e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"chatId": "voice-fail",
		"uploads": []map[string]any{{"type": "audio", "name": "x.webm", "mime": "audio/webm", "data": dataURL("audio/webm", audio)}}}})
	checkError(t, r, http.StatusBadGateway, "told to fail")
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("the model got %d requests after a failed transcription", n)
	}
	if got := filesUnder(t, filepath.Join(root, id, "voice-fail")); len(got) != 0 {
		t.Errorf("files stored for a failed prediction: %v", got)
	}
}

// attach posts files to the attachments API.
func (e *testEnv) attach(chatflowID, chatID string, files map[string][2]string) resp {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, f := range files {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="files"; filename=%q`, name)}
		h["Content-Type"] = []string{f[0]}
		w, _ := mw.CreatePart(h)
		w.Write([]byte(f[1]))
	}
	mw.Close()
	return e.do(req{method: "POST", path: "/api/v1/attachments/" + chatflowID + "/" + chatID, body: buf.Bytes(), header: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

const docxMIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// TestFullFileUploads: the attachments API extracts the text of a txt, a
// pdf and a docx; a type outside the allow-list is a 400 and
// fullFileUpload off is a 403; a file:full upload puts the text before the
// question for the model while the stored question stays bare.
func TestFullFileUploads(t *testing.T) {
	e, _, root := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	cfg := `{"fullFileUpload":{"status":true,"allowedUploadFileTypes":"text/plain,application/pdf,` + docxMIME + `"}}`
	id := e.openAIConversation(fake, map[string]any{"chatbotConfig": cfg})
	pdf, _ := os.ReadFile("testdata/attach.pdf")
	docx, _ := os.ReadFile("testdata/attach.docx")
	r := e.attach(id, "full-chat", map[string][2]string{
		"notes.txt":  {"text/plain", "Plain notes: the vault code is 4711."},
		"report.pdf": {"application/pdf", string(pdf)},
		"memo.docx":  {docxMIME, string(docx)},
	})
	var got []attachment
	e.mustOK(r, &got)
	want := map[string]string{"notes.txt": "vault code is 4711", "report.pdf": "The pdf says hello from page one", "memo.docx": "The docx says hello"}
	if len(got) != 3 {
		t.Fatalf("attachments: %+v", got)
	}
	for _, a := range got {
		if !strings.Contains(a.Content, want[a.Name]) || a.Size == 0 || a.MimeType == "" {
			t.Errorf("attachment %s: %+v, want content with %q", a.Name, a, want[a.Name])
		}
	}
	if files := filesUnder(t, filepath.Join(root, id, "full-chat")); len(files) != 3 {
		t.Errorf("stored attachments: %v", files)
	}
	// Not allowed by this chatflow (csv), and a corrupt pdf.
	checkError(t, e.attach(id, "full-chat", map[string][2]string{"t.csv": {"text/csv", "a,b\n1,2"}}), http.StatusBadRequest, "not allowed")
	checkError(t, e.attach(id, "bad-pdf", map[string][2]string{"broken.pdf": {"application/pdf", "%PDF-1.7 garbage"}}), http.StatusUnprocessableEntity, "broken.pdf")
	if files := filesUnder(t, filepath.Join(root, id, "bad-pdf")); len(files) != 0 {
		t.Errorf("a corrupt pdf was kept: %v", files)
	}
	// Full-file upload off.
	off := e.openAIConversation(fake, nil)
	checkError(t, e.attach(off, "c1", map[string][2]string{"notes.txt": {"text/plain", "x"}}), http.StatusForbidden, "not enabled")

	// The text goes before the question for the model; the stored question is bare.
	notes := ""
	for _, a := range got {
		if a.Name == "notes.txt" {
			notes = a.Content
		}
	}
	fake.Reset()
	var out predictionOut
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "What is the vault code?", "chatId": "full-chat",
		"uploads": []map[string]any{{"type": "file:full", "name": "notes.txt", "mime": "text/plain", "data": notes}}}}), &out)
	body := mustJSONString(fake.Requests()[0].Body)
	if !strings.Contains(body, `\u003cdoc name='notes.txt'\u003e`) && !strings.Contains(body, "<doc name='notes.txt'>") {
		t.Errorf("the model did not get the file text framed as <doc>: %.500s", body)
	}
	if !strings.Contains(body, "4711") || !strings.Contains(body, "What is the vault code?") {
		t.Errorf("the model request lacks the file text or the question: %.500s", body)
	}
	if out.Question != "What is the vault code?" {
		t.Errorf("response question %q", out.Question)
	}
	rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id, ChatID: "full-chat"})
	if len(rows) != 2 || rows[0].Content != "What is the vault code?" || rows[0].FileUploads == nil || !strings.Contains(*rows[0].FileUploads, "stored-file:full") {
		t.Errorf("stored user message: %+v", rows[0])
	}
}

// TestBadUploads: each bad upload is a clear 4xx JSON error; nothing is
// stored, no message is saved and the model is not called.
func TestBadUploads(t *testing.T) {
	e, parent, _ := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	id := e.openAIConversation(fake, nil)
	png5 := tinyPNG(t, color.Black)
	big := make([]byte, 5<<20+1)
	copy(big, png5)
	good := map[string]any{"type": "file", "name": "ok.png", "mime": "image/png", "data": dataURL("image/png", png5)}
	tests := []struct {
		name   string
		upload map[string]any
		status int
		msg    string
	}{
		{"mime does not match the extension", map[string]any{"type": "file", "name": "cat.jpg", "mime": "image/png", "data": dataURL("image/png", png5)}, 400, "extension"},
		{"data url mime differs from the item's", map[string]any{"type": "file", "name": "doc.pdf", "mime": "application/pdf", "data": dataURL("image/png", png5)}, 400, "extension"},
		{"corrupt base64", map[string]any{"type": "file", "name": "a.png", "mime": "image/png", "data": "data:image/png;base64,@@not base64@@"}, 400, "base64"},
		{"not a data url", map[string]any{"type": "file", "name": "a.png", "mime": "image/png", "data": "iVBORw0KGgo="}, 400, "data URL"},
		{"unknown type", map[string]any{"type": "video", "name": "a.png", "mime": "image/png", "data": dataURL("image/png", png5)}, 400, "unknown type"},
		{"unknown media type", map[string]any{"type": "file", "name": "a.xyz", "mime": "application/x-xyz", "data": dataURL("application/x-xyz", []byte("x"))}, 400, "unsupported file type"},
		{"image over 5 MB", map[string]any{"type": "file", "name": "big.png", "mime": "image/png", "data": dataURL("image/png", big)}, 413, "5 MB"},
		{"svg as image", map[string]any{"type": "file", "name": "a.svg", "mime": "image/svg+xml", "data": dataURL("image/svg+xml", []byte("<svg/>"))}, 400, "gif, jpeg, png or webp"},
		{"audio of the wrong type", map[string]any{"type": "audio", "name": "a.flac", "mime": "audio/flac", "data": dataURL("audio/flac", []byte("fLaC"))}, 400, "audio uploads"},
		{"empty file", map[string]any{"type": "file", "name": "a.txt", "mime": "text/plain", "data": "data:text/plain;base64,"}, 400, "empty"},
		{"url that is not http", map[string]any{"type": "url", "name": "a.png", "mime": "image/png", "data": "file:///etc/passwd"}, 400, "http(s) URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "hi", "chatId": "bad-chat",
				"uploads": []map[string]any{good, tc.upload}}})
			checkError(t, r, tc.status, tc.msg)
		})
	}
	if files := filesUnder(t, parent); len(files) != 0 {
		t.Errorf("files written by rejected uploads: %v", files)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("the model was called %d times for rejected uploads", n)
	}
	if rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id}); len(rows) != 0 {
		t.Errorf("messages saved for rejected uploads: %d", len(rows))
	}
}

// TestUploadPathSafety: every route that touches storage refuses ids and
// names that could leave the blob root with a 400, and nothing is read or
// written outside it (checked on disk, with a decoy file beside the root).
func TestUploadPathSafety(t *testing.T) {
	e, parent, root := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	cfg := `{"fullFileUpload":{"status":true,"allowedUploadFileTypes":"text/plain"}}`
	id := e.openAIConversation(fake, map[string]any{"chatbotConfig": cfg})
	rag := e.localQnA(fake, t.TempDir())
	if err := os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("top secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A legitimate file, to show the route works when the input is fine.
	e.mustOK(e.attach(id, "chat-1", map[string][2]string{"notes.txt": {"text/plain", "hello"}}), nil)
	ok := e.do(req{method: "GET", path: "/api/v1/get-upload-file?chatflowId=" + id + "&chatId=chat-1&fileName=notes.txt"})
	if ok.status != 200 || string(ok.body) != "hello" || !strings.HasPrefix(ok.header.Get("Content-Type"), "text/plain") || ok.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("get-upload-file of a stored file: %d %q %v", ok.status, ok.body, ok.header)
	}

	badNames := []string{"..", "../secret.txt", "../../secret.txt", "..%2Fsecret.txt", "a%2fb.txt", "a/b.txt", `a\b.txt`, "/etc/passwd", "x\x00.txt", ".hidden"}
	badChats := []string{"../..", "a/b", `a\b`, "..", "x\x00y", "%2e%2e"}
	badFlows := []string{"not-a-uuid", "../" + id, id + "/..", "..%2F"}
	type call struct {
		name string
		do   func() resp
	}
	var calls []call
	get := func(flow, chat, name string) func() resp {
		return func() resp {
			q := url.Values{"chatflowId": {flow}, "chatId": {chat}, "fileName": {name}}
			return e.do(req{method: "GET", path: "/api/v1/get-upload-file?" + q.Encode()})
		}
	}
	for _, n := range badNames {
		calls = append(calls,
			call{"get-upload-file name " + n, get(id, "chat-1", n)},
			call{"attachments name " + n, func() resp { return e.attach(id, "chat-1", map[string][2]string{n: {"text/plain", "x"}}) }},
			call{"vector upsert name " + n, func() resp {
				return e.upsertMultipart(rag, map[string]string{n: "some text"}, nil)
			}},
			call{"prediction upload name " + n, func() resp {
				return e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "q", "chatId": "chat-1",
					"uploads": []map[string]any{{"type": "file", "name": n, "mime": "text/plain", "data": dataURL("text/plain", []byte("x"))}}}})
			}},
		)
	}
	for _, c := range badChats {
		calls = append(calls,
			call{"get-upload-file chat " + c, get(id, c, "notes.txt")},
			call{"attachments chat " + c, func() resp {
				return e.attach(id, url.PathEscape(c), map[string][2]string{"notes.txt": {"text/plain", "x"}})
			}},
			call{"prediction chat " + c, func() resp {
				return e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "q", "chatId": c,
					"uploads": []map[string]any{{"type": "file", "name": "n.txt", "mime": "text/plain", "data": dataURL("text/plain", []byte("x"))}}}})
			}},
		)
	}
	for _, f := range badFlows {
		calls = append(calls,
			call{"get-upload-file chatflow " + f, get(f, "chat-1", "notes.txt")},
			call{"attachments chatflow " + f, func() resp {
				return e.attach(url.PathEscape(f), "chat-1", map[string][2]string{"notes.txt": {"text/plain", "x"}})
			}},
		)
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			r := c.do()
			if r.status != http.StatusBadRequest {
				t.Errorf("got %d (%s), want 400", r.status, r.body)
			}
			if bytes.Contains(r.body, []byte("top secret")) {
				t.Errorf("the file beside the storage root was served")
			}
			if ct := r.header.Get("Content-Type"); r.status >= 400 && !strings.HasPrefix(ct, "application/json") {
				t.Errorf("error without a JSON body: %s", ct)
			}
		})
	}
	// Only the one legitimate file exists, and the decoy is untouched.
	if got := filesUnder(t, parent); len(got) != 2 || got[0] != "secret.txt" || got[1] != "storage/"+id+"/chat-1/notes.txt" {
		t.Errorf("files on disk: %v", got)
	}
	if b, _ := os.ReadFile(filepath.Join(parent, "secret.txt")); string(b) != "top secret" {
		t.Errorf("the decoy was changed")
	}
	_ = root
}

// TestUploadCapabilities checks chatflows-uploads and public-chatbotConfig
// against flows with and without upload features.
func TestUploadCapabilities(t *testing.T) {
	e, _, _ := uploadEnv(t, nil, nil)
	plain := e.importTemplate("Conversation Chain", func(nodes []any) {
		nodeData(nodes, "chatOpenAI_0")["inputs"].(map[string]any)["allowImageUploads"] = false
	}, nil)
	var caps uploadsConfig
	e.mustOK(e.do(req{method: "GET", path: "/api/v1/chatflows-uploads/" + plain}), &caps)
	if caps.IsImageUploadAllowed || caps.IsSpeechToTextEnabled || caps.IsRAGFileUploadAllowed || caps.ImgUploadSizeAndTypes == nil || caps.FileUploadSizeAndTypes == nil {
		t.Errorf("plain flow: %+v", caps)
	}
	cred := e.credential("openAIApi", map[string]any{"openAIApiKey": "k"})
	vision := e.importTemplate("Conversation Chain", func(nodes []any) {
		nodeData(nodes, "chatOpenAI_0")["inputs"].(map[string]any)["allowImageUploads"] = true
	}, map[string]any{"speechToText": fmt.Sprintf(`{"none":{"status":false},"openAIWhisper":{"status":true,"credentialId":%q}}`, cred),
		"chatbotConfig": `{"allowedOrigins":["https://a.example"],"allowedOriginsError":"no","fullFileUpload":{"status":true},"starterPrompts":{"0":{"prompt":"hi"}}}`})
	r := e.do(req{method: "GET", path: "/api/v1/chatflows-uploads/" + vision})
	want := `{"isSpeechToTextEnabled":true,"isImageUploadAllowed":true,"isRAGFileUploadAllowed":false,"imgUploadSizeAndTypes":[{"fileTypes":["image/gif","image/jpeg","image/png","image/webp",""],"maxUploadSize":5}],"fileUploadSizeAndTypes":[]}`
	if strings.TrimSpace(string(r.body)) != want {
		t.Errorf("vision flow:\n got %s\nwant %s", r.body, want)
	}
	var pub map[string]any
	e.mustOK(e.do(req{method: "GET", path: "/api/v1/public-chatbotConfig/" + vision}), &pub)
	if _, ok := pub["allowedOrigins"]; ok || pub["uploads"] == nil || pub["fullFileUpload"] == nil || pub["starterPrompts"] == nil || pub["isTTSEnabled"] != false {
		t.Errorf("public chatbotConfig: %v", pub)
	}
	if _, ok := pub["flowData"]; ok {
		t.Errorf("flowData (the flow's prompts) given to anyone for a chatflow that is not public")
	}
	var adm map[string]any
	e.mustOK(e.loopback("GET", "/api/v1/public-chatbotConfig/"+vision, nil), &adm)
	if fd, _ := adm["flowData"].(string); fd == "" || strings.Contains(fd, cred) {
		t.Errorf("admin flowData missing or leaking the credential id: %.200s", fd)
	}
	// RAG file uploads: Local QnA with fileUpload on its vector store.
	rag := e.importTemplate("Local QnA", func(nodes []any) {
		nodeData(nodes, "faiss_0")["inputs"].(map[string]any)["fileUpload"] = true
	}, nil)
	e.mustOK(e.do(req{method: "GET", path: "/api/v1/chatflows-uploads/" + rag}), &caps)
	if !caps.IsRAGFileUploadAllowed || len(caps.FileUploadSizeAndTypes) != 1 || caps.FileUploadSizeAndTypes[0].MaxUploadSize != 500 ||
		!strings.Contains(strings.Join(caps.FileUploadSizeAndTypes[0].FileTypes, " "), ".txt") {
		t.Errorf("RAG flow: %+v", caps)
	}
	checkError(t, e.do(req{method: "POST", path: "/api/v1/text-to-speech/generate", body: map[string]any{"text": "hi"}}), http.StatusNotImplemented, "Text to speech")
}

// Deleting a chat's messages deletes its uploads (only that chat's), and
// deleting the chatflow deletes all of its files.
func TestDeletingRemovesUploads(t *testing.T) {
	e, _, root := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	cfg := `{"fullFileUpload":{"status":true,"allowedUploadFileTypes":"text/plain"}}`
	id := e.openAIConversation(fake, map[string]any{"chatbotConfig": cfg})
	for _, chat := range []string{"chat-a", "chat-b"} {
		e.mustOK(e.attach(id, chat, map[string][2]string{"n.txt": {"text/plain", "x"}}), nil)
		e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "q", "chatId": chat}}), nil)
	}
	e.mustOK(e.loopback("DELETE", "/api/v1/chatmessage/"+id+"?chatId=chat-a", nil), nil)
	if got := filesUnder(t, root); len(got) != 1 || got[0] != id+"/chat-b/n.txt" {
		t.Errorf("after deleting chat-a's messages: %v", got)
	}
	e.mustOK(e.loopback("DELETE", "/api/v1/chatflows/"+id, nil), nil)
	if got := filesUnder(t, root); len(got) != 0 {
		t.Errorf("after deleting the chatflow: %v", got)
	}
}

// TestRAGUploadsPerChat: two chats upload different files to the same flow
// (Vector Upsert with chatId, then file:rag in the prediction); each chat's
// answer draws on its own file and the shared documents, never the other
// chat's, both in sourceDocuments and in the request the model receives.
func TestRAGUploadsPerChat(t *testing.T) {
	e, _, _ := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	apiConfig := `{"overrideConfig":{"status":true,"nodes":{"Text File":[{"name":"txtFile","enabled":true}],"Conversational Retrieval QA Chain":[{"name":"returnSourceDocuments","enabled":true}]}}}`
	id := e.importTemplate("Local QnA", func(nodes []any) {
		nodeData(nodes, "chatOllama_0")["inputs"].(map[string]any)["baseUrl"] = fake.URL
		nodeData(nodes, "localAIEmbeddings_0")["inputs"].(map[string]any)["basePath"] = fake.URL + "/v1"
		// The embedded store keeps earlier upserts (Faiss replaces its
		// contents on every upsert, as in Flowise).
		vs := nodeData(nodes, "faiss_0")
		in := vs["inputs"].(map[string]any)
		vs["name"] = "embeddedVectorStore"
		vs["inputs"] = map[string]any{"document": in["document"], "embeddings": in["embeddings"], "collectionName": "ragchat", "fileUpload": true, "topK": "6"}
		split := nodeData(nodes, "recursiveCharacterTextSplitter_1")["inputs"].(map[string]any)
		split["chunkSize"], split["chunkOverlap"] = "120", "0"
	}, map[string]any{"apiConfig": apiConfig})
	e.mustOK(e.upsertMultipart(id, map[string]string{"shared.txt": knowledge}, nil), nil)
	files := map[string][2]string{
		"chat-a": {"alpha.txt", "The secret password of the vault is ALPHA-SEVEN."},
		"chat-b": {"beta.txt", "The secret password of the vault is BETA-NINE."},
	}
	for chat, f := range files {
		var up upsertOut
		e.mustOK(e.upsertMultipart(id, map[string]string{f[0]: f[1]}, map[string]string{"chatId": chat}), &up)
		if up.NumAdded != 1 || up.AddedDocs[0].Metadata["flowise_chatId"] != chat {
			t.Fatalf("upsert for %s: %+v, want one chunk tagged flowise_chatId=%s", chat, up, chat)
		}
	}
	for chat, f := range files {
		other := "BETA-NINE"
		if chat == "chat-b" {
			other = "ALPHA-SEVEN"
		}
		own := strings.Fields(f[1])[len(strings.Fields(f[1]))-1]
		own = strings.TrimSuffix(own, ".")
		fake.Reset()
		var out struct {
			Text            string `json:"text"`
			SourceDocuments []struct {
				PageContent string         `json:"pageContent"`
				Metadata    map[string]any `json:"metadata"`
			} `json:"sourceDocuments"`
		}
		e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{
			"question": "What is the secret password of the vault?", "chatId": chat, "overrideConfig": map[string]any{"returnSourceDocuments": true},
			"uploads": []map[string]any{{"type": "file:rag", "name": f[0], "mime": "text/plain", "data": dataURL("text/plain", []byte(f[1]))}},
		}}), &out)
		var srcs []string
		sawOwn, sawShared := false, false
		for _, d := range out.SourceDocuments {
			srcs = append(srcs, d.PageContent)
			if strings.Contains(d.PageContent, other) {
				t.Errorf("%s sees the other chat's upload: %q", chat, d.PageContent)
			}
			sawOwn = sawOwn || strings.Contains(d.PageContent, own)
			sawShared = sawShared || d.Metadata["flowise_chatId"] == nil
		}
		if !sawOwn || !sawShared {
			t.Errorf("%s: sourceDocuments %q, want its own upload (%s) and shared documents", chat, srcs, own)
		}
		var chatReq string
		for _, rq := range fake.Requests() {
			if strings.HasSuffix(rq.Path, "/api/chat") {
				chatReq = mustJSONString(rq.Body)
			}
		}
		if !strings.Contains(chatReq, own) || strings.Contains(chatReq, other) {
			t.Errorf("%s: the model request has own=%v other=%v: %.400s", chat, strings.Contains(chatReq, own), strings.Contains(chatReq, other), chatReq)
		}
	}
}

// {{file_attachment}} in a prompt resolves to the full-file uploads' text.
func TestFileAttachmentVariable(t *testing.T) {
	e, _, _ := uploadEnv(t, nil, nil)
	fake := llmtest.NewProvider(t)
	t.Setenv("AZURE_OPENAI_BASE_URL", fake.URL+"/openai/deployments")
	cred := e.credential("azureOpenAIApi", map[string]any{"azureOpenAIApiKey": "az-key", "azureOpenAIApiInstanceName": "inst",
		"azureOpenAIApiDeploymentName": "dep", "azureOpenAIApiVersion": "2024-02-01"})
	id := e.importTemplate("LLM Chain", func(nodes []any) {
		nodeData(nodes, "azureChatOpenAI_0")["credential"] = cred
		in := nodeData(nodes, "promptTemplate_0")["inputs"].(map[string]any)
		in["template"] = "Product notes: {notes}. Name a company for {product}."
		in["promptValues"] = `{"product":"socks","notes":"{{file_attachment}}"}`
	}, nil)
	var out predictionOut
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "go",
		"uploads": []map[string]any{{"type": "file:full", "name": "brief.txt", "mime": "text/plain", "data": "woolly and warm"}}}}), &out)
	if !strings.Contains(out.Text, "Product notes: <doc name='brief.txt'>woolly and warm</doc>") {
		t.Errorf("answer %q: the prompt did not get the attachment", out.Text)
	}
}

// A multipart prediction with files (reference §1.2) works as in Flowise,
// where every prediction rebuilds the flow: the files fill the flow's
// vector store through its loader, then the question is answered from
// them; other form fields are overrides through the allow-list.
func TestMultipartPredictionWithFiles(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	id := e.localQnA(fake, t.TempDir())
	body, ct := multipartUpsert(t, map[string]string{"knowledge.txt": knowledge}, map[string]string{
		"question": "What is the capital of Zubrowka?", "returnSourceDocuments": "true", "chatId": "mp-1"})
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: body.Bytes(), header: map[string]string{"Content-Type": ct}})
	var out struct {
		Text            string `json:"text"`
		Question        string `json:"question"`
		SourceDocuments []struct {
			PageContent string `json:"pageContent"`
		} `json:"sourceDocuments"`
	}
	e.mustOK(r, &out)
	if out.Question != "What is the capital of Zubrowka?" || len(out.SourceDocuments) == 0 || !strings.Contains(out.SourceDocuments[0].PageContent, "capital of Zubrowka is Lutz") {
		t.Fatalf("answer: %+v", out)
	}
	var chat string
	for _, rq := range fake.Requests() {
		if strings.HasSuffix(rq.Path, "/api/chat") {
			chat = mustJSONString(rq.Body)
		}
	}
	if !strings.Contains(chat, "capital of Zubrowka is Lutz") {
		t.Errorf("the model did not get the uploaded file's chunk: %.400s", chat)
	}
	// A file no loader takes is refused before anything runs.
	body, ct = multipartUpsert(t, map[string]string{"tool.exe": "MZ"}, map[string]string{"question": "q"})
	checkError(t, e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: body.Bytes(), header: map[string]string{"Content-Type": ct}}),
		http.StatusUnsupportedMediaType, "unsupported file type")
}

// With STORAGE_TYPE=s3 the same uploads go to an S3-compatible service
// (an httptest fake that checks every request's signature): stored at
// <chatflowId>/<chatId>/<name>, replayed to the model, served by
// get-upload-file, and deleted with the chat's messages.
func TestUploadsOnS3(t *testing.T) {
	s3 := s3test.New(t, s3test.Options{})
	o := s3.Options()
	e := newEnvWith(t, storetest.Open(t, "sqlite"), "test-secret-key", nil,
		"STORAGE_TYPE=s3", "S3_STORAGE_BUCKET_NAME="+o.Bucket, "S3_STORAGE_REGION="+o.Region, "S3_ENDPOINT_URL="+s3.URL,
		"S3_FORCE_PATH_STYLE=true", "S3_STORAGE_ACCESS_KEY_ID="+o.AccessKeyID, "S3_STORAGE_SECRET_ACCESS_KEY="+o.SecretAccessKey)
	fake := llmtest.NewProvider(t)
	t.Setenv("GOOGLE_GEMINI_BASE_URL", fake.URL)
	cred := e.credential("googleGenerativeAI", map[string]any{"googleGenerativeAPIKey": "k"})
	id := e.importTemplate("Conversation Chain", func(nodes []any) {
		d := nodeData(nodes, "chatOpenAI_0")
		d["name"], d["credential"], d["inputs"] = "chatGoogleGenerativeAI", cred, map[string]any{"allowImageUploads": true}
	}, nil)
	red := tinyPNG(t, color.RGBA{255, 0, 0, 255})
	redB64 := base64.StdEncoding.EncodeToString(red)
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Colour?", "chatId": "s3-chat",
		"uploads": []map[string]any{{"type": "file", "name": "red.png", "mime": "image/png", "data": dataURL("image/png", red)}}}}), nil)
	if got, ok := s3.Object(id + "/s3-chat/red.png"); !ok || !bytes.Equal(got, red) {
		t.Fatalf("S3 objects %v: the upload is not at %s/s3-chat/red.png", s3.Keys(), id)
	}
	fake.Reset()
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "Again?", "chatId": "s3-chat"}}), nil)
	if body := mustJSONString(fake.Requests()[0].Body); !strings.Contains(body, redB64) {
		t.Errorf("turn 2 did not replay the image from S3")
	}
	r := e.do(req{method: "GET", path: "/api/v1/get-upload-file?chatflowId=" + id + "&chatId=s3-chat&fileName=red.png"})
	if r.status != 200 || !bytes.Equal(r.body, red) || r.header.Get("Content-Type") != "image/png" {
		t.Errorf("get-upload-file from S3: %d %s", r.status, r.header.Get("Content-Type"))
	}
	e.mustOK(e.loopback("DELETE", "/api/v1/chatmessage/"+id+"?chatId=s3-chat", nil), nil)
	if keys := s3.Keys(); len(keys) != 0 {
		t.Errorf("S3 objects left after deleting the chat: %v", keys)
	}
}
