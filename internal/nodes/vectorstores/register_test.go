package vectorstores

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/node"
)

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r)
	for _, name := range []string{"memoryVectorStore", "faiss", "embeddedVectorStore", "postgres", "qdrant", "chroma", "pinecone"} {
		def, err := r.Lookup(name)
		if err != nil {
			t.Errorf("Lookup(%s): %v", name, err)
			continue
		}
		s := def.Spec
		if s.Category != "Vector Stores" || len(s.Outputs) != 2 || s.Outputs[0].Name != "retriever" || s.Outputs[1].Name != "vectorStore" {
			t.Errorf("%s: category %q, outputs %+v", name, s.Category, s.Outputs)
		}
		// Every store has File Upload (the uploads config looks for it).
		i := slices.IndexFunc(s.Inputs, func(p node.Param) bool { return p.Name == inFileUpload })
		if i < 0 || s.Inputs[i].Type != node.TypeBoolean || !s.Inputs[i].AdditionalParams {
			t.Errorf("%s: no additional boolean %s input", name, inFileUpload)
		}
	}
}

func TestMemoryVectorStoreSpecJSON(t *testing.T) {
	// As Flowise's GET /api/v1/nodes/memoryVectorStore serves it, plus
	// Floe's File Upload input, checked apart.
	want := `{"label":"In-Memory Vector Store","name":"memoryVectorStore","version":1,"type":"Memory","icon":"memory.svg",
"category":"Vector Stores","description":"In-memory vectorstore that stores embeddings and does an exact, linear search for the most similar embeddings.",
"baseClasses":["Memory","VectorStoreRetriever","BaseRetriever"],
"inputs":[{"label":"Document","name":"document","type":"Document","list":true,"optional":true},
{"label":"Embeddings","name":"embeddings","type":"Embeddings"},
{"label":"Top K","name":"topK","description":"Number of top results to fetch. Default to 4","placeholder":"4","type":"number","optional":true}],
"outputs":[{"label":"Memory Retriever","name":"retriever","baseClasses":["Memory","VectorStoreRetriever","BaseRetriever"]},
{"label":"Memory Vector Store","name":"vectorStore","baseClasses":["Memory","VectorStore"]}]}`
	got, err := json.Marshal(memoryVectorStore.Spec)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var wantV, gotV any
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &gotV); err != nil {
		t.Fatalf("bad spec JSON: %v", err)
	}
	spec, _ := gotV.(map[string]any)
	inputs, _ := spec["inputs"].([]any)
	if len(inputs) == 0 {
		t.Fatalf("spec has no inputs")
	}
	last, _ := inputs[len(inputs)-1].(map[string]any)
	if last["name"] != "fileUpload" || last["type"] != "boolean" || last["additionalParams"] != true {
		t.Errorf("last input = %v, want the additional boolean fileUpload", last)
	}
	spec["inputs"] = inputs[:len(inputs)-1]
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("spec JSON (-want +got):\n%s", diff)
	}
}
