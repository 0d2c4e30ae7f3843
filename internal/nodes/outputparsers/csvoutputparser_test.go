package outputparsers

import (
	"encoding/json"
	"strings"
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

// initParser runs def's Init on snippet and asserts an llm.OutputParser.
func initParser(t *testing.T, def node.Definition, snippet string) llm.OutputParser {
	t.Helper()
	inst, err := def.Init(t.Context(), dataFrom(t, snippet), &node.Runtime{})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	p, ok := inst.(llm.OutputParser)
	if !ok {
		t.Fatalf("Init returned %T, want llm.OutputParser", inst)
	}
	return p
}

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid spec
	for _, name := range []string{"csvOutputParser", "structuredOutputParser", "advancedStructuredOutputParser"} {
		def, err := r.Lookup(name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", name, err)
			continue
		}
		if def.Spec.Category != "Output Parsers" {
			t.Errorf("%s category = %q, want Output Parsers", name, def.Spec.Category)
		}
	}
}

func TestCSVOutputParser(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []string
		wantErr bool
	}{
		{name: "plain", text: "red, green,blue", want: []string{"red", "green", "blue"}},
		{name: "newline and trailing comma", text: "\nred, green,\n", want: []string{"red", "green"}},
		{name: "fenced", text: "```\nParis, London, Rome\n```", want: []string{"Paris", "London", "Rome"}},
		{name: "single item", text: "only", want: []string{"only"}},
		{name: "empty", text: " , ", wantErr: true},
	}
	p := initParser(t, csvOutputParser, `{"id":"csvOutputParser_0","name":"csvOutputParser","inputs":{"autofixParser":""}}`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Parse(tc.text)
			if tc.wantErr {
				if err == nil {
					t.Errorf("Parse(%q) = %v, want an error", tc.text, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.text, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
	if p.AutoFix() {
		t.Error("AutoFix() = true for an empty autofixParser input")
	}
	if !strings.Contains(p.FormatInstructions(), "comma-separated") {
		t.Errorf("FormatInstructions() = %q, want it to ask for comma-separated values", p.FormatInstructions())
	}
}

func TestAutofixInput(t *testing.T) {
	tests := []struct {
		value   string
		want    bool
		wantErr bool
	}{
		{value: `true`, want: true},
		{value: `"true"`, want: true},
		{value: `false`},
		{value: `""`},
		{value: `"maybe"`, wantErr: true},
	}
	for _, tc := range tests {
		for _, def := range []node.Definition{csvOutputParser, structuredOutputParser, advancedStructuredOutputParser} {
			t.Run(def.Spec.Name+"/"+tc.value, func(t *testing.T) {
				d := dataFrom(t, `{"id":"p","inputs":{"autofixParser":`+tc.value+`,"jsonStructure":[{"property":"a","type":"string"}],"exampleJson":"z.string()"}}`)
				inst, err := def.Init(t.Context(), d, &node.Runtime{})
				if tc.wantErr {
					if err == nil {
						t.Errorf("Init = %v, want an error", inst)
					}
					return
				}
				if err != nil {
					t.Fatalf("Init: %v", err)
				}
				if got := inst.(llm.OutputParser).AutoFix(); got != tc.want {
					t.Errorf("AutoFix() = %v, want %v", got, tc.want)
				}
			})
		}
	}
}
