package outputparsers

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    any
		wantErr bool
	}{
		{name: "plain object", text: `{"a": 1}`, want: map[string]any{"a": 1.0}},
		{name: "plain array", text: ` [1, 2] `, want: []any{1.0, 2.0}},
		{name: "json fence", text: "```json\n{\"a\": \"x\"}\n```", want: map[string]any{"a": "x"}},
		{name: "bare fence", text: "```\n[true]\n```", want: []any{true}},
		{name: "fence on one line", text: "```json {\"a\":2}```", want: map[string]any{"a": 2.0}},
		{name: "fence with prose", text: "Sure! Here it is:\n```JSON\n{\"a\": 1}\n```\nHope that helps.", want: map[string]any{"a": 1.0}},
		{name: "unclosed fence", text: "```json\n{\"a\": 1}", want: map[string]any{"a": 1.0}},
		{name: "prose around", text: `The answer is {"a": "b {c}"} as requested.`, want: map[string]any{"a": "b {c}"}},
		{name: "bracket in prose first", text: `Result [final]: {"a": 1}`, want: map[string]any{"a": 1.0}},
		{name: "trailing commas", text: `{"a": [1, 2,], "b": 3,}`, want: map[string]any{"a": []any{1.0, 2.0}, "b": 3.0}},
		{name: "single quotes", text: `{'a': 'it\'s "fine"', 'b': ['x']}`, want: map[string]any{"a": `it's "fine"`, "b": []any{"x"}}},
		{name: "apostrophe in a double-quoted string", text: `{"a": "don't", "b": 'x'}`, want: map[string]any{"a": "don't", "b": "x"}},
		{name: "unquoted keys", text: `{title: "T", year: 1999}`, want: map[string]any{"title": "T", "year": 1999.0}},
		{name: "python literals", text: `{"a": True, "b": None, "c": False}`, want: map[string]any{"a": true, "b": nil, "c": false}},
		{name: "comments", text: "{\n\"a\": 1, // one\n/* two */ \"b\": 2\n}", want: map[string]any{"a": 1.0, "b": 2.0}},
		{name: "raw newline in string", text: "{\"a\": \"line1\nline2\"}", want: map[string]any{"a": "line1\nline2"}},
		{name: "truncated", text: `{"a": [1, 2`, want: map[string]any{"a": []any{1.0, 2.0}}},
		{name: "no JSON", text: "I cannot answer that.", wantErr: true},
		{name: "hopeless", text: `{"a": }`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeJSON(tc.text)
			if tc.wantErr {
				if err == nil {
					t.Errorf("decodeJSON(%q) = %v, want an error", tc.text, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("decodeJSON(%q): %v", tc.text, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := decodeJSON("nothing here"); !errors.Is(err, errNoJSON) {
		t.Errorf("decodeJSON without JSON: error %v, want %v", err, errNoJSON)
	}
}

func TestRepairJSONKeepsValidJSON(t *testing.T) {
	for _, s := range []string{
		`{"a":[1,2,{"b":null}],"c":"x, ]}' \" y","d":-1.5e3,"e":true}`,
		`[]`,
		`{"k": "tab\tand \\ backslash"}`,
	} {
		if got := repairJSON(s); got != s {
			t.Errorf("repairJSON(%s) = %s, want it unchanged", s, got)
		}
	}
}
