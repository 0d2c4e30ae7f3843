package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func initNothing(context.Context, *Data, *Runtime) (any, error) { return struct{}{}, nil }

func loadNothing(context.Context, *Data, *Runtime) ([]Option, error) { return nil, nil }

// validDef returns a definition that registers cleanly; tests break one
// thing at a time.
func validDef(name string) Definition {
	return Definition{
		Spec: Spec{
			Label:       "Test " + name,
			Name:        name,
			Version:     1,
			Type:        "Test",
			Category:    "Utilities",
			BaseClasses: []string{"Test"},
			Credential: &Param{
				Label: "Connect Credential", Name: "credential", Type: TypeCredential,
				CredentialNames: []string{"openAIApi"},
			},
			Inputs: []Param{
				{Label: "Model", Name: "model", Type: "BaseChatModel"},
				{Label: "Agents", Name: "agents", Type: "Start | Agent | LLMNode", List: true},
				{Label: "Temperature", Name: "temperature", Type: TypeNumber, Default: 0.9},
				{Label: "Window", Name: "window", Type: TypeNumber, Default: "20"},
				{Label: "Unset", Name: "unset", Type: TypeNumber, Default: ""},
				{Label: "Stream", Name: "streaming", Type: TypeBoolean, Default: true},
				{Label: "Mode", Name: "mode", Type: TypeOptions, Default: "a", Options: []Option{{Label: "A", Name: "a"}}},
				{Label: "Models", Name: "modelName", Type: TypeAsyncOptions, LoadMethod: "listModels"},
				{Label: "Tags", Name: "tags", Type: TypeMultiOptions, Default: []string{"a"}, Options: []Option{{Label: "A", Name: "a"}}},
				{Label: "Meta", Name: "meta", Type: TypeJSON, Default: map[string]any{"k": "v"}},
				{
					Label: "Messages", Name: "messages", Type: TypeArray, Default: []map[string]any{},
					Array: []Param{{Label: "Role", Name: "role", Type: TypeOptions, Options: []Option{{Label: "User", Name: "user"}}}},
				},
				{Label: "", Name: "note", Type: TypeString, Rows: 1},
			},
			Outputs: []Output{{Label: "Retriever", Name: "retriever", BaseClasses: []string{"BaseRetriever"}}},
		},
		Init: initNothing,
		Load: map[string]LoadFunc{"listModels": loadNothing},
	}
}

func TestMustRegisterPanics(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Definition)
		want   string // substring of the panic message
	}{
		{name: "empty name", modify: func(d *Definition) { d.Spec.Name = "" }, want: `registering "": empty name`},
		{name: "empty label", modify: func(d *Definition) { d.Spec.Label = "" }, want: "empty label"},
		{name: "empty category", modify: func(d *Definition) { d.Spec.Category = "" }, want: "empty category"},
		{name: "empty type", modify: func(d *Definition) { d.Spec.Type = "" }, want: "empty type"},
		{name: "nil init", modify: func(d *Definition) { d.Init = nil }, want: "nil Init"},
		{name: "param without name", modify: func(d *Definition) { d.Spec.Inputs[0].Name = "" }, want: `param "Model": empty name`},
		{name: "unknown param type", modify: func(d *Definition) { d.Spec.Inputs[0].Type = "strnig" }, want: `param "model": unknown type "strnig"`},
		{name: "empty param type", modify: func(d *Definition) { d.Spec.Inputs[0].Type = "" }, want: `unknown type ""`},
		{name: "malformed anchor type", modify: func(d *Definition) { d.Spec.Inputs[0].Type = "Base Chat" }, want: `unknown type "Base Chat"`},
		{name: "number default is text", modify: func(d *Definition) { d.Spec.Inputs[2].Default = "warm" }, want: `param "temperature": default "warm" does not match type number`},
		{name: "number default is bool", modify: func(d *Definition) { d.Spec.Inputs[2].Default = true }, want: "does not match type number"},
		{name: "boolean default is string", modify: func(d *Definition) { d.Spec.Inputs[5].Default = "true" }, want: `param "streaming": default "true" does not match type boolean`},
		{name: "string default is number", modify: func(d *Definition) { d.Spec.Inputs[11].Default = 3 }, want: `param "note": default 3 does not match type string`},
		{name: "multiOptions default has number", modify: func(d *Definition) { d.Spec.Inputs[8].Default = []any{"a", 1} }, want: `param "tags": default`},
		{name: "json default is number", modify: func(d *Definition) { d.Spec.Inputs[9].Default = 1 }, want: `param "meta": default 1 does not match type json`},
		{name: "anchor default is number", modify: func(d *Definition) { d.Spec.Inputs[0].Default = 1 }, want: `param "model": default 1 does not match type BaseChatModel`},
		{name: "options without options", modify: func(d *Definition) { d.Spec.Inputs[6].Options = nil }, want: `param "mode": type options needs options`},
		{name: "multiOptions without options", modify: func(d *Definition) { d.Spec.Inputs[8].Options = nil }, want: `param "tags": type multiOptions needs options`},
		{name: "option without name", modify: func(d *Definition) { d.Spec.Inputs[6].Options[0].Name = "" }, want: `param "mode": option 0 has no name`},
		{name: "asyncOptions without loadMethod", modify: func(d *Definition) { d.Spec.Inputs[7].LoadMethod = "" }, want: `param "modelName": type asyncOptions needs a loadMethod`},
		{name: "loadMethod not in Load", modify: func(d *Definition) { d.Load = nil }, want: `param "modelName": loadMethod "listModels" not in Load`},
		{name: "invalid array item", modify: func(d *Definition) { d.Spec.Inputs[10].Array[0].Options = nil }, want: `param "messages": array item: param "role": type options needs options`},
		{name: "credential wrong type", modify: func(d *Definition) { d.Spec.Credential.Type = TypeString }, want: `credential param has type "string"`},
		{name: "credential without names", modify: func(d *Definition) { d.Spec.Credential.CredentialNames = nil }, want: "credential: param \"credential\": credential param needs credentialNames"},
		{name: "output without name", modify: func(d *Definition) { d.Spec.Outputs[0].Name = "" }, want: "output 0 has no name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			def := validDef("test")
			tc.modify(&def)
			got := panicMessage(func() { NewRegistry().MustRegister(def) })
			if !strings.Contains(got, tc.want) {
				t.Errorf("panic = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestMustRegisterDuplicate(t *testing.T) {
	r := NewRegistry()
	r.MustRegister(validDef("a"))
	got := panicMessage(func() { r.MustRegister(validDef("a")) })
	if want := `node: registering "a": duplicate name`; got != want {
		t.Errorf("panic = %q, want %q", got, want)
	}
}

func TestRegistryLookupAndList(t *testing.T) {
	r := NewRegistry()
	for _, name := range []string{"zeta", "alpha", "mid"} {
		r.MustRegister(validDef(name))
	}
	def, err := r.Lookup("mid")
	if err != nil {
		t.Fatalf("Lookup(mid): %v", err)
	}
	if def.Spec.Name != "mid" {
		t.Errorf("Lookup(mid).Spec.Name = %q, want mid", def.Spec.Name)
	}
	_, err = r.Lookup("nope")
	if !errors.Is(err, ErrUnknownNode) {
		t.Errorf("Lookup(nope) error = %v, want ErrUnknownNode", err)
	}
	if want := `node: unknown node "nope"`; err == nil || err.Error() != want {
		t.Errorf("Lookup(nope) error = %v, want %q", err, want)
	}
	var names []string
	for _, d := range r.List() {
		names = append(names, d.Spec.Name)
	}
	if diff := cmp.Diff([]string{"alpha", "mid", "zeta"}, names); diff != "" {
		t.Errorf("List names (-want +got):\n%s", diff)
	}
}

func TestSpecJSON(t *testing.T) {
	// Field names and omissions follow Flowise's INode serialisation.
	s := Spec{
		Label: "Sticky Note", Name: "stickyNote", Version: 2, Type: "StickyNote", Icon: "stickyNote.svg",
		Category: "Utilities", Description: "Add a sticky note", BaseClasses: []string{"StickyNote"},
		Tags: []string{"Utilities"}, DeprecateMessage: "old",
		Inputs: []Param{
			{Label: "", Name: "note", Type: TypeString, Rows: 1, Placeholder: "Type something here", Optional: true},
			{Label: "Flag", Name: "flag", Type: TypeBoolean, Default: false, Show: map[string]any{"mode": []string{"a"}}},
		},
	}
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	want := `{"label":"Sticky Note","name":"stickyNote","version":2,"type":"StickyNote","icon":"stickyNote.svg",` +
		`"category":"Utilities","description":"Add a sticky note","baseClasses":["StickyNote"],"tags":["Utilities"],` +
		`"deprecateMessage":"old","inputs":[{"label":"","name":"note","type":"string","optional":true,"rows":1,` +
		`"placeholder":"Type something here"},{"label":"Flag","name":"flag","type":"boolean","default":false,` +
		`"show":{"mode":["a"]}}]}`
	if string(got) != want {
		t.Errorf("JSON mismatch\n got %s\nwant %s", got, want)
	}
}

func TestIsAnchorType(t *testing.T) {
	tests := []struct {
		typ  string
		want bool
	}{
		{"BaseChatModel", true},
		{"BaseChatModel_LlamaIndex", true},
		{"Start | Agent | Condition", true},
		{"Tool", true},
		{"", false},
		{"string", false},
		{"Base Chat", false},
		{"Agent |", false},
		{"Ünïcode", false},
		{"lowerCase", false},
	}
	for _, tc := range tests {
		if got := IsAnchorType(tc.typ); got != tc.want {
			t.Errorf("IsAnchorType(%q) = %v, want %v", tc.typ, got, tc.want)
		}
	}
}

func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return "<no panic>"
}
