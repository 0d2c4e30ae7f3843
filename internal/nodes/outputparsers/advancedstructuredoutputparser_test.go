package outputparsers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

// templatePath is Flowise's marketplace template in the shared material
// beside the checkout.
var templatePath = filepath.Join("..", "..", "..", "..", "shared", "flows", "chatflows", "Advanced Structured Output Parser.json")

// templateParserData returns the advancedStructuredOutputParser node of the
// template, as saved.
func templateParserData(t *testing.T) *node.Data {
	t.Helper()
	raw, err := os.ReadFile(templatePath)
	if os.IsNotExist(err) {
		t.Skipf("shared template %s not found beside the checkout", templatePath)
	}
	if err != nil {
		t.Fatalf("reading template: %v", err)
	}
	var flow struct {
		Nodes []struct {
			Data node.Data `json:"data"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(raw, &flow); err != nil {
		t.Fatalf("decoding template: %v", err)
	}
	for _, n := range flow.Nodes {
		if n.Data.Name == "advancedStructuredOutputParser" {
			return &n.Data
		}
	}
	t.Fatalf("template has no advancedStructuredOutputParser node")
	return nil
}

func TestAdvancedStructuredOutputParserTemplate(t *testing.T) {
	d := templateParserData(t)
	inst, err := advancedStructuredOutputParser.Init(t.Context(), d, &node.Runtime{})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	p := inst.(*schemaParser)
	if !p.AutoFix() {
		t.Error("AutoFix() = false, want true as the template sets it")
	}
	wantSchema := `{"type":"array","items":{"type":"object","properties":{` +
		`"title":{"type":"string"},"yearOfRelease":{"type":"integer"},` +
		`"genres":{"type":"array","maxItems":2,"items":{"type":"string","enum":["Action","Comedy","Drama","Fantasy","Horror","Mystery","Romance","Science Fiction","Thriller","Documentary"]}},` +
		`"shortDescription":{"type":"string","maxLength":500}},` +
		`"required":["title","yearOfRelease","genres","shortDescription"],"additionalProperties":false},"$schema":"http://json-schema.org/draft-07/schema#"}`
	if got := p.schema.jsonSchema(); got != wantSchema {
		t.Errorf("schema =\n%s\nwant\n%s", got, wantSchema)
	}

	answer := "Here are the top movies:\n```json\n[\n" +
		`  {"title": "The Godfather", "yearOfRelease": 1972, "genres": ["Drama"], "shortDescription": "A crime family saga."},` + "\n" +
		`  {"title": "Inception", "yearOfRelease": 2010, "genres": ["Science Fiction", "Thriller"], "shortDescription": "Dreams within dreams.",},` + "\n" +
		"]\n```"
	got, err := p.Parse(answer)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []any{
		map[string]any{"title": "The Godfather", "yearOfRelease": 1972.0, "genres": []any{"Drama"}, "shortDescription": "A crime family saga."},
		map[string]any{"title": "Inception", "yearOfRelease": 2010.0, "genres": []any{"Science Fiction", "Thriller"}, "shortDescription": "Dreams within dreams."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}

	bad := `[{"title": "X", "yearOfRelease": 1999.5, "genres": ["Action", "Western", "Drama"], "shortDescription": "x"}]`
	_, err = p.Parse(bad)
	for _, frag := range []string{
		"[0].yearOfRelease: got 1999.5, want an integer",
		`[0].genres[1]: got "Western", want one of`,
		"[0].genres: number of items 3 is above the maximum 2",
	} {
		if err == nil || !strings.Contains(err.Error(), frag) {
			t.Errorf("Parse(bad) error = %v, want it to mention %q", err, frag)
		}
	}
}

func TestAdvancedStructuredOutputParserDefault(t *testing.T) {
	// The node's default schema, as a fresh node saves it.
	src, _ := json.Marshal(advancedStructuredOutputParser.Spec.Inputs[1].Default)
	p := initParser(t, advancedStructuredOutputParser, `{"id":"a","inputs":{"autofixParser":"","exampleJson":`+string(src)+`}}`)
	tests := []struct {
		name    string
		text    string
		want    any
		wantErr string
	}{
		{
			name: "good",
			text: `{"title":"Up","yearOfRelease":2009,"genres":["Comedy"],"shortDescription":"Balloons."}`,
			want: map[string]any{"title": "Up", "yearOfRelease": 2009.0, "genres": []any{"Comedy"}, "shortDescription": "Balloons."},
		},
		{name: "too long", text: `{"title":"Up","yearOfRelease":2009,"genres":[],"shortDescription":"` + strings.Repeat("a", 501) + `"}`, wantErr: "shortDescription: length 501 is above the maximum 500"},
		{name: "missing", text: `{"title":"Up"}`, wantErr: "yearOfRelease: missing required property"},
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
}

func TestSchemaValidate(t *testing.T) {
	s, err := parseZod(`z.object({
		name: z.string().min(2),
		nick: z.string().optional(),
		age: z.number().nullable(),
		role: z.enum(["admin", "user"]).default("user"),
		born: z.date().optional(),
		tags: z.array(z.string()).optional(),
	})`)
	if err != nil {
		t.Fatalf("parseZod: %v", err)
	}
	tests := []struct {
		name    string
		text    string
		want    any
		wantErr string
	}{
		{
			name: "defaults and nulls",
			text: `{"name":"Al","nick":null,"age":null,"born":"2020-01-02"}`,
			want: map[string]any{"name": "Al", "age": nil, "role": "user", "born": "2020-01-02"},
		},
		{name: "null where not nullable", text: `{"name":null,"age":1}`, wantErr: "name: got null, want string"},
		{name: "too short", text: `{"name":"A","age":1}`, wantErr: "name: length 1 is below the minimum 2"},
		{name: "bad enum", text: `{"name":"Al","age":1,"role":"root"}`, wantErr: `role: got "root", want one of ["admin", "user"]`},
		{name: "bad date", text: `{"name":"Al","age":1,"born":"yesterday"}`, wantErr: "born: got \"yesterday\""},
		{name: "bad item", text: `{"name":"Al","age":1,"tags":["a",2]}`, wantErr: "tags[1]: got number, want string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseWith(s, tc.text)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("parse error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parse (-want +got):\n%s", diff)
			}
		})
	}
}
