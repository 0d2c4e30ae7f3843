package textsplitters

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r) // panics on an invalid spec
	var names []string
	for _, def := range r.List() {
		names = append(names, def.Spec.Name)
		if def.Spec.Category != "Text Splitters" {
			t.Errorf("%s: category %q, want Text Splitters", def.Spec.Name, def.Spec.Category)
		}
	}
	want := []string{
		"characterTextSplitter", "codeTextSplitter", "htmlToMarkdownTextSplitter",
		"markdownTextSplitter", "recursiveCharacterTextSplitter", "tokenTextSplitter",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("registered nodes (-want +got):\n%s", diff)
	}
}

func TestRecursiveCharacterTextSplitterSpecJSON(t *testing.T) {
	// The spec as GET /api/v1/nodes serves it, field for field with Flowise.
	got, err := json.Marshal(recursiveCharacterTextSplitter.Spec)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"label":"Recursive Character Text Splitter","name":"recursiveCharacterTextSplitter","version":2,
	"type":"RecursiveCharacterTextSplitter","icon":"textsplitter.svg","category":"Text Splitters",
	"description":"Split documents recursively by different characters - starting with \"\\n\\n\", then \"\\n\", then \" \"",
	"baseClasses":["RecursiveCharacterTextSplitter","TextSplitter","BaseDocumentTransformer","Runnable"],
	"inputs":[
	{"label":"Chunk Size","name":"chunkSize","type":"number","description":"Number of characters in each chunk. Default is 1000.","default":1000,"optional":true},
	{"label":"Chunk Overlap","name":"chunkOverlap","type":"number","description":"Number of characters to overlap between chunks. Default is 200.","default":200,"optional":true},
	{"label":"Custom Separators","name":"separators","type":"string","rows":4,"description":"Array of custom separators to determine when to split the text, will override the default separators","placeholder":"[\"|\", \"##\", \">\", \"-\"]","additionalParams":true,"optional":true}]}`
	var wantV, gotV any
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("spec JSON (-want +got):\n%s", diff)
	}
}
