package vectorstores

import (
	"context"
	"fmt"
	"testing"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
	"github.com/floehq/floe/internal/provider/qdrant/qdranttest"
)

// creds is a credential resolver over fixed credentials.
type creds map[string]map[string]any

func (c creds) Credential(_ context.Context, id string) (map[string]any, error) {
	if f, ok := c[id]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown credential %s", id)
}

func TestQdrantConformance(t *testing.T) {
	for _, sim := range []string{"Cosine", "Dot", "Euclid"} {
		t.Run(sim, func(t *testing.T) {
			srv := qdranttest.New(t)
			srv.APIKey = "secret"
			rt := &node.Runtime{Credentials: creds{"cred1": {"qdrantApiKey": "secret"}}}
			llmtest.TestVectorStore(t, func(t *testing.T, emb llm.Embedder) llm.VectorStore {
				d := &node.Data{ID: "qdrant_0", Credential: "cred1", Inputs: map[string]any{
					"embeddings": emb, "qdrantServerUrl": srv.URL, "qdrantCollection": t.Name(), "qdrantSimilarity": sim,
					"qdrantVectorDimension": 1536, "batchSize": 2,
				}, Outputs: map[string]any{"output": "vectorStore"}}
				inst, err := qdrantNode.Init(t.Context(), d, rt)
				if err != nil {
					t.Fatalf("Init: %v", err)
				}
				return inst.(llm.VectorStore)
			}, chatStores(qdrantNode.Init, "cred1", func(t *testing.T, _ llm.Embedder) (map[string]any, node.Runtime) {
				return map[string]any{"qdrantServerUrl": srv.URL, "qdrantCollection": t.Name(), "qdrantSimilarity": sim}, *rt
			}))
		})
	}
}

func TestQdrantFilters(t *testing.T) {
	srv := qdranttest.New(t)
	emb := &llmtest.SuiteEmbedder{}
	docs := []llm.Document{
		{PageContent: "shared cats", Metadata: map[string]any{"source": "a"}},
		{PageContent: "other cats", Metadata: map[string]any{"source": "b"}},
	}
	build := func(inputs map[string]any, output string, rt *node.Runtime) any {
		t.Helper()
		in := map[string]any{"embeddings": emb, "qdrantServerUrl": srv.URL, "qdrantCollection": "docs"}
		for k, v := range inputs {
			in[k] = v
		}
		inst, err := qdrantNode.Init(t.Context(), &node.Data{ID: "qdrant_0", Inputs: in, Outputs: map[string]any{"output": output}}, rt)
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst
	}
	if _, err := build(map[string]any{"document": []any{docs}}, "retriever", &node.Runtime{Upsert: true}).(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	upload := []llm.Document{{PageContent: "uploaded cats"}}
	if _, err := build(map[string]any{"document": []any{upload}, "fileUpload": true}, "retriever", &node.Runtime{Upsert: true, ChatID: "chat1"}).(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	tests := []struct {
		name   string
		inputs map[string]any
		chatID string
		want   int
	}{
		{name: "no filter", want: 3},
		{name: "native filter", inputs: map[string]any{"qdrantFilter": `{"must":[{"key":"metadata.source","match":{"value":"a"}}]}`}, want: 1},
		{name: "file upload, same chat", inputs: map[string]any{"fileUpload": true}, chatID: "chat1", want: 3},
		{name: "file upload, other chat", inputs: map[string]any{"fileUpload": true}, chatID: "chat2", want: 2},
		{name: "file upload and filter", inputs: map[string]any{"fileUpload": true, "qdrantFilter": `{"must":[{"key":"metadata.source","match":{"value":"b"}}]}`}, chatID: "chat2", want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.inputs = mergeInputs(tc.inputs, map[string]any{"topK": 10})
			got, err := build(tc.inputs, "retriever", &node.Runtime{ChatID: tc.chatID}).(llm.Retriever).Retrieve(t.Context(), "cats")
			if err != nil || len(got) != tc.want {
				t.Errorf("Retrieve = %v, %v; want %d documents", got, err, tc.want)
			}
		})
	}
}

func mergeInputs(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
