package prompts

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

func TestChatPromptTemplateInit(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    llm.Prompt
		wantErr bool
	}{
		{
			name: "template as saved by the structured output template",
			data: `{"id":"chatPromptTemplate_0","name":"chatPromptTemplate","inputs":{"systemMessagePrompt":"This AI only outputs JSON.","humanMessagePrompt":"{text}","promptValues":""}}`,
			want: llm.Prompt{System: "This AI only outputs JSON.", Human: "{text}", Values: map[string]string{}, Chat: true},
		},
		{
			name: "values and colon groups",
			data: `{"id":"chatPromptTemplate_0","name":"chatPromptTemplate","inputs":{"systemMessagePrompt":"Translate {input_language} to {output_language}. Reply {\"text\": \"...\"}","humanMessagePrompt":"{text}","promptValues":"{\"input_language\":\"English\",\"output_language\":\"French\"}","selectedMessagesTab_chatPromptTemplate_0":"messageHistoryCode","messageHistoryCode":""}}`,
			want: llm.Prompt{
				System: `Translate {input_language} to {output_language}. Reply {{"text": "..."}}`,
				Human:  "{text}",
				Values: map[string]string{"input_language": "English", "output_language": "French"},
				Chat:   true,
			},
		},
		{
			name:    "JavaScript history refused",
			data:    `{"id":"chatPromptTemplate_0","name":"chatPromptTemplate","inputs":{"systemMessagePrompt":"s","humanMessagePrompt":"{text}","messageHistoryCode":"return []"}}`,
			wantErr: true,
		},
		{
			name:    "bad values",
			data:    `{"id":"chatPromptTemplate_0","name":"chatPromptTemplate","inputs":{"systemMessagePrompt":"s","humanMessagePrompt":"{text}","promptValues":"{"}}`,
			wantErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := chatPromptTemplate.Init(t.Context(), dataFrom(t, tc.data), &node.Runtime{})
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init = %v, want an error", inst)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			got, ok := inst.(llm.Prompt)
			if !ok {
				t.Fatalf("Init returned %T, want llm.Prompt", inst)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("prompt (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChatPromptTemplateFormat(t *testing.T) {
	inst, err := chatPromptTemplate.Init(t.Context(), dataFrom(t, `{"id":"c","inputs":{"systemMessagePrompt":"Translate to {output_language}. Format: {\"text\": string}","humanMessagePrompt":"{text}","promptValues":{"output_language":"French"}}}`), &node.Runtime{})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	p := inst.(llm.Prompt)
	if diff := cmp.Diff([]string{"output_language", "text"}, p.Variables()); diff != "" {
		t.Errorf("variables (-want +got):\n%s", diff)
	}
	vals := map[string]string{"text": "Hello"}
	for k, v := range p.Values {
		vals[k] = v
	}
	sys, err := llm.FormatFString(p.System, vals)
	if err != nil {
		t.Fatalf("formatting system: %v", err)
	}
	if want := `Translate to French. Format: {"text": string}`; sys != want {
		t.Errorf("system = %q, want %q", sys, want)
	}
	human, err := llm.FormatFString(p.Human, vals)
	if err != nil {
		t.Fatalf("formatting human: %v", err)
	}
	if human != "Hello" {
		t.Errorf("human = %q, want %q", human, "Hello")
	}
}

func TestChatPromptTemplateSpecJSON(t *testing.T) {
	// The messageHistory tabs param as GET /api/v1/nodes serves it; the
	// code example is Floe's own.
	got, err := json.Marshal(chatPromptTemplate.Spec.Inputs[3])
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	want := `{"label":"Messages History","name":"messageHistory","type":"tabs","default":"messageHistoryCode",` +
		`"description":"Add messages after System Message. This is useful when you want to provide few shot examples",` +
		`"additionalParams":true,"tabIdentifier":"selectedMessagesTab","tabs":[{"label":"Add Messages (Code)",` +
		`"name":"messageHistoryCode","type":"code","optional":true,"additionalParams":true,"hideCodeExecute":true,` +
		`"codeExample":` + mustJSON(t, messageHistoryExample) + `}]}`
	var wantV, gotV any
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatalf("bad spec JSON: %v", err)
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("spec JSON (-want +got):\n%s", diff)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}
