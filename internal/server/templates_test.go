package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/store"
)

// TestLLMChainTemplate runs "LLM Chain" (Azure OpenAI + prompt template
// with promptValues) against the fake, streaming and not.
func TestLLMChainTemplate(t *testing.T) {
	e := newEnv(t, "sqlite")
	fake := llmtest.NewProvider(t)
	t.Setenv("AZURE_OPENAI_BASE_URL", fake.URL+"/openai/deployments")
	cred := e.credential("azureOpenAIApi", map[string]any{"azureOpenAIApiKey": "az-key", "azureOpenAIApiInstanceName": "inst",
		"azureOpenAIApiDeploymentName": "dep", "azureOpenAIApiVersion": "2024-02-01"})
	id := e.importTemplate("LLM Chain", func(nodes []any) {
		nodeData(nodes, "azureChatOpenAI_0")["credential"] = cred
	}, nil)
	var out predictionOut
	e.mustOK(e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "socks"}}), &out)
	if want := "echo: What is a good name for a company that makes socks?"; out.Text != want {
		t.Errorf("answer: got %q, want %q", out.Text, want)
	}
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "hats", "streaming": true}})
	evs := sseEvents(t, r.body)
	var text string
	for _, ev := range evs {
		if ev["event"] == "token" {
			text += ev["data"].(string)
		}
	}
	if text != "echo: What is a good name for a company that makes hats?" || !strings.HasSuffix(eventNames(evs), "metadata,end") {
		t.Errorf("stream: %q %s", text, eventNames(evs))
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || !strings.Contains(reqs[0].Path, "/openai/deployments/dep/chat/completions") || reqs[0].Header.Get("Api-Key") != "az-key" {
		t.Errorf("azure requests: %+v", reqs)
	}
	if out.MemoryType != "" {
		t.Errorf("memoryType %q on a flow without memory", out.MemoryType)
	}
}

// TestStructuredOutputTemplate runs "Advanced Structured Output Parser":
// the format instructions reach the model, the JSON answer is parsed and
// returned as json, and a bad first answer is repaired by the autofix
// retry.
func TestStructuredOutputTemplate(t *testing.T) {
	e := newEnv(t, "postgres")
	fake := llmtest.NewProvider(t)
	calls := 0
	good := `[{"title":"Alien","yearOfRelease":1979,"genres":["Horror","Science Fiction"],"shortDescription":"A crew meets a creature."}]`
	fake.Answer = func(last string) string {
		calls++
		if calls == 1 {
			return "Sure! Here it is: [{\"title\": \"Alien\", \"yearOfRelease\": \"nineteen\"}]"
		}
		return "```json\n" + good + "\n```"
	}
	id := e.openAIConversationTemplate("Advanced Structured Output Parser", fake)
	r := e.do(req{method: "POST", path: "/api/v1/prediction/" + id, body: map[string]any{"question": "One classic sci-fi horror movie", "streaming": true}})
	var out predictionOut
	e.mustOK(r, &out)
	if out.IsStreamValid {
		t.Errorf("a flow with an output parser streamed")
	}
	var want any
	_ = json.Unmarshal([]byte(good), &want)
	if diff := cmp.Diff(want, out.JSON); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d model calls, want 2 (answer + autofix)", len(reqs))
	}
	first := mustJSONString(reqs[0].Body["messages"])
	if !strings.Contains(first, "This AI is designed to only output information in JSON format") || !strings.Contains(first, "yearOfRelease") || !strings.Contains(first, "One classic sci-fi horror movie") {
		t.Errorf("first request lacks the system prompt, format instructions or question: %s", first)
	}
	rows, _ := e.db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: id})
	if len(rows) != 2 || !strings.HasPrefix(rows[1].Content, "```json\n[") {
		t.Errorf("stored answer: %+v", rows)
	}
}

// openAIConversationTemplate imports a template whose model is chatOpenAI_0
// and points it at the fake.
func (e *testEnv) openAIConversationTemplate(name string, fake *llmtest.Provider) string {
	cred := e.credential("openAIApi", map[string]any{"openAIApiKey": "sk-test"})
	return e.importTemplate(name, func(nodes []any) {
		d := nodeData(nodes, "chatOpenAI_0")
		d["credential"] = cred
		d["inputs"].(map[string]any)["basepath"] = fake.URL + "/v1"
	}, nil)
}
