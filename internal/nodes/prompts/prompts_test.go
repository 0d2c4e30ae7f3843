package prompts

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// dataFrom builds node data from a JSON snippet as Flowise saves it.
func dataFrom(t *testing.T, snippet string) *node.Data {
	t.Helper()
	var d node.Data
	if err := json.Unmarshal([]byte(snippet), &d); err != nil {
		t.Fatalf("building data: %v", err)
	}
	return &d
}

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid spec
	for _, name := range []string{"promptTemplate", "chatPromptTemplate"} {
		def, err := r.Lookup(name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", name, err)
			continue
		}
		if def.Spec.Category != "Prompts" {
			t.Errorf("%s category = %q, want Prompts", name, def.Spec.Category)
		}
	}
}

func TestEscapeColonGroups(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "variables untouched", in: "Hi {name}, {question}", want: "Hi {name}, {question}"},
		{name: "colon group doubled", in: `Answer as {"answer": "text"} for {question}`, want: `Answer as {{"answer": "text"}} for {question}`},
		{name: "literal braces untouched", in: "{{a: b}} and {x}", want: "{{a: b}} and {x}"},
		{name: "unbalanced", in: "a { b: c", want: "a { b: c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := escapeColonGroups(tc.in); got != tc.want {
				t.Errorf("escapeColonGroups(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPromptValues(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    map[string]string
		wantErr bool
	}{
		{name: "absent", data: `{"id":"p","inputs":{"promptValues":""}}`, want: map[string]string{}},
		{
			name: "JSON string",
			data: `{"id":"p","inputs":{"promptValues":"{\"objective\":\"the question\",\"n\":3}"}}`,
			want: map[string]string{"objective": "the question", "n": "3"},
		},
		{
			name: "decoded map",
			data: `{"id":"p","inputs":{"promptValues":{"objective":"the question","big":1234567890123,"flag":true,"obj":{"a":[1, 2]},"none":null}}}`,
			want: map[string]string{"objective": "the question", "big": "1234567890123", "flag": "true", "obj": `{"a":[1,2]}`, "none": ""},
		},
		{name: "bad JSON", data: `{"id":"p","inputs":{"promptValues":"{not json"}}`, wantErr: true},
		{name: "array", data: `{"id":"p","inputs":{"promptValues":"[1]"}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := promptValues(dataFrom(t, tc.data))
			if tc.wantErr {
				if err == nil {
					t.Errorf("promptValues = %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("promptValues: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPromptTemplateInit(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		vals      map[string]string // extra values the chain would add
		want      llm.Prompt
		formatted string
		wantErr   bool
	}{
		{
			name:      "question only",
			data:      `{"id":"promptTemplate_0","name":"promptTemplate","inputs":{"template":"Question: {question}\n\nAnswer: Let's think step by step.","promptValues":""}}`,
			vals:      map[string]string{"question": "Why?"},
			want:      llm.Prompt{Human: "Question: {question}\n\nAnswer: Let's think step by step.", Values: map[string]string{}},
			formatted: "Question: Why?\n\nAnswer: Let's think step by step.",
		},
		{
			name:      "values from a string",
			data:      `{"id":"promptTemplate_0","name":"promptTemplate","inputs":{"template":"Goal {objective}; reply like {\"ok\": true}","promptValues":"{\"objective\":\"win\"}"}}`,
			want:      llm.Prompt{Human: `Goal {objective}; reply like {{"ok": true}}`, Values: map[string]string{"objective": "win"}},
			formatted: `Goal win; reply like {"ok": true}`,
		},
		{
			name:      "values from a map",
			data:      `{"id":"promptTemplate_0","name":"promptTemplate","inputs":{"template":"{a} and {b}","promptValues":{"a":"x","b":2}}}`,
			want:      llm.Prompt{Human: "{a} and {b}", Values: map[string]string{"a": "x", "b": "2"}},
			formatted: "x and 2",
		},
		{name: "template not a string", data: `{"id":"promptTemplate_0","inputs":{"template":{}}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := promptTemplate.Init(t.Context(), dataFrom(t, tc.data), &node.Runtime{})
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
			vals := map[string]string{}
			for k, v := range got.Values {
				vals[k] = v
			}
			for k, v := range tc.vals {
				vals[k] = v
			}
			text, err := llm.FormatFString(got.Human, vals)
			if err != nil {
				t.Fatalf("FormatFString: %v", err)
			}
			if text != tc.formatted {
				t.Errorf("formatted = %q, want %q", text, tc.formatted)
			}
		})
	}
}
