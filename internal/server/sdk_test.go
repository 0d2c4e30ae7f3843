package server

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/llm/llmtest"
)

// installSDK installs the real flowise-sdk 1.0.9 from npm once into the
// user cache and returns its node_modules directory's parent.
func installSDK(t *testing.T) string {
	t.Helper()
	need := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("FLOE_REQUIRE_SERVICES") == "1" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	if _, err := exec.LookPath("node"); err != nil {
		need("node is not installed: the flowise-sdk test needs Node.js and npm")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "floe-test", "flowise-sdk-1.0.9")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "flowise-sdk", "package.json")); err == nil {
		return dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, "flowise-sdk@1.0.9")
	if out, err := cmd.CombinedOutput(); err != nil {
		need("installing flowise-sdk@1.0.9 from npm: %v\n%s", err, out)
	}
	return dir
}

const sdkScript = `
const { FlowiseClient } = require('flowise-sdk');
(async () => {
  const client = new FlowiseClient({ baseUrl: process.env.BASE, apiKey: process.env.KEY });
  const json = await client.createPrediction({ chatflowId: process.env.FLOW, question: 'Hello sdk', chatId: 'sdk-chat' });
  const events = [];
  const stream = await client.createPrediction({ chatflowId: process.env.FLOW, question: 'Stream sdk', chatId: 'sdk-chat', streaming: true });
  for await (const ev of stream) events.push(ev);
  console.log(JSON.stringify({ json, events }));
})().catch((e) => { console.error(e); process.exit(1); });
`

// TestFlowiseSDK drives Floe with Flowise's own client library.
func TestFlowiseSDK(t *testing.T) {
	dir := installSDK(t)
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	key, keyID := e.newKey("sdk", "")
	id := e.openAIConversation(fake, map[string]any{"apikeyid": keyID})
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	script := filepath.Join(t.TempDir(), "sdk.js")
	if err := os.WriteFile(script, []byte(sdkScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "node", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"), "BASE="+ts.URL, "KEY="+key, "FLOW="+id)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node: %v\n%s", err, stderr)
	}
	var got struct {
		JSON   predictionOut    `json:"json"`
		Events []map[string]any `json:"events"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	if got.JSON.Text != "echo: Hello sdk" || got.JSON.ChatID != "sdk-chat" {
		t.Errorf("non-streaming: got %+v", got.JSON)
	}
	var names []string
	var text strings.Builder
	for _, ev := range got.Events {
		names = append(names, ev["event"].(string))
		if ev["event"] == "token" {
			text.WriteString(ev["data"].(string))
		}
	}
	if want := "start,token,token,token,metadata,end"; strings.Join(names, ",") != want {
		t.Errorf("stream events: got %v, want %s", names, want)
	}
	if text.String() != "echo: Stream sdk" {
		t.Errorf("streamed text: got %q", text.String())
	}
	if len(fake.Requests()) != 2 {
		t.Errorf("fake got %d requests, want 2", len(fake.Requests()))
	}
}
