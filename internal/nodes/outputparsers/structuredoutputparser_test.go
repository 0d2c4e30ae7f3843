package outputparsers

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStructuredOutputParserInit(t *testing.T) {
	tests := []struct {
		name    string
		grid    string
		want    string // JSON Schema
		wantErr bool
	}{
		{
			name: "grid as saved (string)",
			grid: `"[{\"id\":0,\"property\":\"answer\",\"type\":\"string\",\"description\":\"the answer\"},{\"id\":1,\"property\":\"score\",\"type\":\"number\",\"description\":\"confidence\",\"required\":true}]"`,
			want: `{"type":"object","properties":{"answer":{"type":"string","description":"the answer"},"score":{"type":"number","description":"confidence"}},"required":["score"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}`,
		},
		{
			name: "grid decoded, blank row skipped",
			grid: `[{"property":"ok","type":"boolean","description":""},{"property":"","type":"string"}]`,
			want: `{"type":"object","properties":{"ok":{"type":"boolean"}},"required":[],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}`,
		},
		{name: "absent", grid: `""`, wantErr: true},
		{name: "unknown type", grid: `[{"property":"x","type":"object"}]`, wantErr: true},
		{name: "duplicate", grid: `[{"property":"x","type":"string"},{"property":"x","type":"number"}]`, wantErr: true},
		{name: "not a grid", grid: `"{"`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := structuredOutputParser.Init(t.Context(), dataFrom(t, `{"id":"structuredOutputParser_0","inputs":{"jsonStructure":`+tc.grid+`}}`), nil)
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init = %v, want an error", inst)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			p := inst.(*schemaParser)
			if got := p.schema.jsonSchema(); got != tc.want {
				t.Errorf("schema =\n%s\nwant\n%s", got, tc.want)
			}
			if fi := p.FormatInstructions(); !strings.Contains(fi, "```json\n"+tc.want+"\n```") {
				t.Errorf("FormatInstructions lacks the fenced schema:\n%s", fi)
			}
		})
	}
}

func TestStructuredOutputParserParse(t *testing.T) {
	// The node's default grid, as the UI saves it, plus a required number.
	p := initParser(t, structuredOutputParser, `{"id":"structuredOutputParser_0","name":"structuredOutputParser","inputs":{"autofixParser":true,"jsonStructure":[
		{"property":"answer","type":"string","description":"answer to the user's question"},
		{"property":"source","type":"string","description":"sources used to answer the question, should be websites"},
		{"property":"confidence","type":"number","description":"0 to 1","required":true}]}}`)
	tests := []struct {
		name    string
		text    string
		want    any
		wantErr string
	}{
		{
			name: "good",
			text: `{"answer": "42", "source": "https://example.com", "confidence": 0.9}`,
			want: map[string]any{"answer": "42", "source": "https://example.com", "confidence": 0.9},
		},
		{
			name: "fenced with prose, extra key dropped",
			text: "Here you go:\n```json\n{\"answer\": \"42\", \"confidence\": 1, \"extra\": true}\n```",
			want: map[string]any{"answer": "42", "confidence": 1.0},
		},
		{
			name: "repairable",
			text: `{'answer': 'yes', confidence: 0.5, 'source': null,}`,
			want: map[string]any{"answer": "yes", "confidence": 0.5},
		},
		{name: "wrong type", text: `{"answer": 42, "confidence": "high"}`, wantErr: `answer: got number, want string; confidence: got string, want number`},
		{name: "missing required", text: `{"answer": "x"}`, wantErr: "confidence: missing required property"},
		{name: "not an object", text: `["x"]`, wantErr: "(root): got array, want object"},
		{name: "no JSON", text: `The answer is 42.`, wantErr: "no JSON object or array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Parse(tc.text)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("Parse error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
	if !p.AutoFix() {
		t.Error("AutoFix() = false, want true")
	}
}
