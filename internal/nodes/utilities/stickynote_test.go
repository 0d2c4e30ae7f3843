package utilities

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestStickyNoteInit(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    string
		wantErr bool
	}{
		{name: "with text", data: `{"id":"stickyNote_0","name":"stickyNote","inputs":{"note":"Remember the API key"}}`, want: "Remember the API key"},
		{name: "empty", data: `{"id":"stickyNote_0","name":"stickyNote","inputs":{"note":""}}`},
		{name: "no inputs", data: `{"id":"stickyNote_0","name":"stickyNote"}`},
		{name: "object note", data: `{"id":"stickyNote_0","name":"stickyNote","inputs":{"note":{}}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d node.Data
			if err := json.Unmarshal([]byte(tc.data), &d); err != nil {
				t.Fatalf("building data: %v", err)
			}
			inst, err := stickyNote.Init(t.Context(), &d, &node.Runtime{})
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init = %v, want an error", inst)
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			if _, ok := inst.(node.Runner); ok {
				t.Errorf("sticky note instance %T implements node.Runner; it must never run", inst)
			}
			n, ok := inst.(*note)
			if !ok {
				t.Fatalf("Init returned %T, want *note", inst)
			}
			if n.text != tc.want {
				t.Errorf("note text = %q, want %q", n.text, tc.want)
			}
		})
	}
}

func TestStickyNoteSpecJSON(t *testing.T) {
	// The spec as GET /api/v1/nodes serves it, field for field with Flowise.
	got, err := json.Marshal(stickyNote.Spec)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	want := `{"label":"Sticky Note","name":"stickyNote","version":2,"type":"StickyNote","icon":"stickyNote.svg",` +
		`"category":"Utilities","description":"Add a sticky note","baseClasses":["StickyNote"],"tags":["Utilities"],` +
		`"inputs":[{"label":"","name":"note","type":"string","optional":true,"rows":1,"placeholder":"Type something here"}]}`
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

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r)
	def, err := r.Lookup("stickyNote")
	if err != nil {
		t.Fatalf("Lookup(stickyNote): %v", err)
	}
	if def.Spec.Category != "Utilities" {
		t.Errorf("category = %q, want Utilities", def.Spec.Category)
	}
}
