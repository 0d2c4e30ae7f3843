package vectorstores

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/pinecone/pineconetest"
)

func TestPineconeConformance(t *testing.T) {
	for _, metric := range []string{"cosine", "dotproduct", "euclidean"} {
		t.Run(metric, func(t *testing.T) {
			srv := pineconetest.New(t, "pk", "my-index", 256)
			srv.Metric = metric
			rt := &node.Runtime{HTTPClient: srv.Client(), Credentials: creds{"c": {"pineconeApiKey": "pk"}}}
			initFn := newPineconeInit(srv.URL) // the fake is also the control plane
			llmtest.TestVectorStore(t, func(t *testing.T, emb llm.Embedder) llm.VectorStore {
				d := &node.Data{ID: "pinecone_0", Credential: "c", Inputs: map[string]any{
					"embeddings": emb, "pineconeIndex": "my-index", "pineconeNamespace": t.Name(),
				}, Outputs: map[string]any{"output": "vectorStore"}}
				inst, err := initFn(t.Context(), d, rt)
				if err != nil {
					t.Fatalf("Init: %v", err)
				}
				return inst.(llm.VectorStore)
			}, chatStores(initFn, "c", func(t *testing.T, _ llm.Embedder) (map[string]any, node.Runtime) {
				return map[string]any{"pineconeIndex": "my-index", "pineconeNamespace": t.Name()}, *rt
			}))
		})
	}
}

func TestPineconeHostURLAndFilters(t *testing.T) {
	srv := pineconetest.New(t, "pk", "my-index", 256)
	emb := &llmtest.SuiteEmbedder{}
	build := func(inputs map[string]any, output string, rt *node.Runtime) any {
		t.Helper()
		in := mergeInputs(map[string]any{"embeddings": emb, "pineconeIndex": srv.URL, "pineconeApiKey": "pk", "topK": 10}, inputs)
		rt.HTTPClient = srv.Client()
		inst, err := pineconeNode.Init(t.Context(), &node.Data{ID: "pinecone_0", Inputs: in, Outputs: map[string]any{"output": output}}, rt)
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst
	}
	docs := []llm.Document{
		{PageContent: "apple cats", Metadata: map[string]any{"source": "apple", "loc": map[string]any{"lines": map[string]any{"from": 1, "to": 2}}, "tags": []any{"a", "b"}}},
		{PageContent: "banana cats", Metadata: map[string]any{"source": "banana"}},
	}
	if _, err := build(map[string]any{"document": []any{docs}}, "retriever", &node.Runtime{Upsert: true}).(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if _, err := build(map[string]any{"document": []any{[]llm.Document{{PageContent: "uploaded cats"}}}, "fileUpload": true}, "retriever",
		&node.Runtime{Upsert: true, ChatID: "chat1"}).(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	got, err := build(map[string]any{"pineconeMetadataFilter": `{"source":"apple"}`}, "retriever", &node.Runtime{}).(llm.Retriever).Retrieve(t.Context(), "cats")
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	want := []llm.Document{{PageContent: "apple cats", Metadata: map[string]any{"source": "apple", "loc.lines.from": 1.0, "loc.lines.to": 2.0, "tags": []any{"a", "b"}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retrieve with the template's filter (-want +got):\n%s", diff)
	}
	for chat, n := range map[string]int{"chat1": 3, "chat2": 2} {
		got, err := build(map[string]any{"fileUpload": true}, "retriever", &node.Runtime{ChatID: chat}).(llm.Retriever).Retrieve(t.Context(), "cats")
		if err != nil || len(got) != n {
			t.Errorf("chat %s: Retrieve = %v, %v; want %d documents", chat, got, err, n)
		}
	}
}
