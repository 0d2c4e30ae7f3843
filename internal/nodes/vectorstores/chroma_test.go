package vectorstores

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/chroma/chromatest"
)

func TestChromaConformance(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		name := "v2"
		if v1 {
			name = "v1"
		}
		t.Run(name, func(t *testing.T) {
			srv := chromatest.New(t)
			srv.Token, srv.V1Only = "tok", v1
			rt := &node.Runtime{Credentials: creds{"c": {"chromaApiKey": "tok", "chromaTenant": "acme"}}}
			llmtest.TestVectorStore(t, func(t *testing.T, emb llm.Embedder) llm.VectorStore {
				d := &node.Data{ID: "chroma_0", Credential: "c", Inputs: map[string]any{
					"embeddings": emb, "chromaURL": srv.URL, "collectionName": t.Name(),
				}, Outputs: map[string]any{"output": "vectorStore"}}
				inst, err := chromaNode.Init(t.Context(), d, rt)
				if err != nil {
					t.Fatalf("Init: %v", err)
				}
				return inst.(llm.VectorStore)
			}, chatStores(chromaNode.Init, "c", func(t *testing.T, _ llm.Embedder) (map[string]any, node.Runtime) {
				return map[string]any{"chromaURL": srv.URL, "collectionName": t.Name()}, *rt
			}))
		})
	}
}

func TestChromaMetadataRoundTrip(t *testing.T) {
	srv := chromatest.New(t)
	emb := &llmtest.SuiteEmbedder{}
	d := &node.Data{ID: "chroma_0", Inputs: map[string]any{
		"embeddings": emb, "chromaURL": srv.URL, "collectionName": "docs", "chromaMetadataFilter": `{"source":"a.txt"}`,
		"document": []any{[]llm.Document{
			{PageContent: "cats purr", Metadata: map[string]any{"source": "a.txt", "loc": map[string]any{"lines": map[string]any{"from": 1, "to": 3}}, "tags": []any{"x"}}},
			{PageContent: "cats sleep", Metadata: map[string]any{"source": "b.txt"}},
		}},
	}, Outputs: map[string]any{"output": "retriever"}}
	inst, err := chromaNode.Init(t.Context(), d, &node.Runtime{})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if _, err := inst.(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	got, err := inst.(llm.Retriever).Retrieve(t.Context(), "cats")
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	want := []llm.Document{{PageContent: "cats purr", Metadata: map[string]any{
		"source": "a.txt", "loc": map[string]any{"lines": map[string]any{"from": 1.0, "to": 3.0}}, "tags": `["x"]`,
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retrieve with the node's filter (-want +got):\n%s", diff)
	}
}
