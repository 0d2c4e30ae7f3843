package server

import (
	"strconv"

	"github.com/floehq/floe/internal/llm/llmtest"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkAuthorizedList measures an admin GET with a Bearer key: the
// scrypt check runs once, later requests hit the verified-key cache.
func BenchmarkAuthorizedList(b *testing.B) {
	e := newBenchEnv(b)
	key, _ := e.newKey("bench", "")
	for i := 0; i < 20; i++ {
		e.mustOK(e.do(req{method: "POST", path: "/api/v1/chatflows", key: key, body: map[string]any{"name": "f", "flowData": minimalFlow}}), nil)
	}
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/api/v1/chatflows", nil)
		r.Header.Set("Authorization", "Bearer "+key)
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("got %d", w.Code)
		}
	}
}

// BenchmarkScryptVerify is the uncached cost of checking one API key.
func BenchmarkScryptVerify(b *testing.B) {
	key, secret, _, err := newAPIKey()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !verifySecret(key, secret) {
			b.Fatal("verify failed")
		}
	}
}

// BenchmarkCreateChatflow measures POST /api/v1/chatflows with a template
// sized flowData (validation + insert) on SQLite.
func BenchmarkCreateChatflow(b *testing.B) {
	e := newBenchEnv(b)
	body := `{"name":"b","flowData":` + jsonString(minimalFlow) + `}`
	for b.Loop() {
		r := httptest.NewRequest("POST", "/api/v1/chatflows", strings.NewReader(body))
		r.RemoteAddr = "127.0.0.1:1"
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("got %d %s", w.Code, w.Body.String())
		}
	}
}

func jsonString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

func newBenchEnv(b *testing.B) *testEnv { return newEnv(b, "sqlite") }

// BenchmarkPrediction is one non-streaming Conversation Chain prediction
// against the fake OpenAI server, in-process (no network to Floe).
func BenchmarkPrediction(b *testing.B) {
	e := newBenchEnv(b)
	fake := llmtest.NewProvider(b)
	id := e.openAIConversation(fake, nil)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		body := `{"question":"Hello","chatId":"s` + strconv.Itoa(i%200) + `"}`
		r := httptest.NewRequest("POST", "/api/v1/prediction/"+id, strings.NewReader(body))
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("got %d %s", w.Code, w.Body.String())
		}
	}
}
