package vectorstores

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

// seeded builds a memory vector store holding docs, with extra inputs.
func seeded(t *testing.T, docs []llm.Document, inputs, outputs map[string]any) any {
	t.Helper()
	in := mergeInputs(map[string]any{"embeddings": &llmtest.SuiteEmbedder{}, "document": []any{docs}}, inputs)
	inst, err := memoryVectorStore.Init(t.Context(), &node.Data{ID: "m", Inputs: in, Outputs: outputs}, &node.Runtime{})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	return inst
}

func TestRetrieverSearchTypes(t *testing.T) {
	docs := []llm.Document{
		{PageContent: "the cat sat on the mat"},
		{PageContent: "the cat sat on the mat today"},
		{PageContent: "the cat sat on the mat again and again"},
		{PageContent: "cat naps"},
		{PageContent: "mat cleaning tips"},
	}
	tests := []struct {
		name    string
		inputs  map[string]any
		outputs map[string]any
		want    []string
	}{
		{name: "similarity", inputs: map[string]any{"topK": "3"},
			want: []string{"the cat sat on the mat", "the cat sat on the mat today", "the cat sat on the mat again and again"}},
		{name: "mmr input", inputs: map[string]any{"topK": "3", "searchType": "mmr", "fetchK": "5", "lambda": "0.5"},
			want: []string{"the cat sat on the mat", "cat naps", "mat cleaning tips"}},
		{name: "mmr in outputs, as Flowise reads it", inputs: map[string]any{"topK": 3}, outputs: map[string]any{"searchType": "mmr"},
			want: []string{"the cat sat on the mat", "cat naps", "mat cleaning tips"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outputs := mergeInputs(map[string]any{"output": "retriever"}, tc.outputs)
			got, err := seeded(t, docs, tc.inputs, outputs).(llm.Retriever).Retrieve(t.Context(), "cat mat sat")
			if err != nil {
				t.Fatalf("Retrieve: %v", err)
			}
			var texts []string
			for _, d := range got {
				texts = append(texts, d.PageContent)
			}
			if diff := cmp.Diff(tc.want, texts); diff != "" {
				t.Errorf("Retrieve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVectorStoreOutputUsesNodeFilter(t *testing.T) {
	docs := []llm.Document{
		{PageContent: "cats a", Metadata: map[string]any{"source": "a"}},
		{PageContent: "cats b", Metadata: map[string]any{"source": "b"}},
	}
	// The embedded store has a filter input; build it over the same docs.
	in := map[string]any{"embeddings": &llmtest.SuiteEmbedder{}, "document": []any{docs}, "filter": map[string]any{"source": "b"}}
	inst, err := embeddedVectorStore.Init(t.Context(), &node.Data{ID: "e", Inputs: in, Outputs: map[string]any{"output": "vectorStore"}},
		&node.Runtime{DataDir: t.TempDir(), ChatflowID: "f"})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if _, err := inst.(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	vs := inst.(llm.VectorStore)
	for _, tc := range []struct {
		filter llm.Filter
		want   string
	}{{nil, "cats b"}, {llm.Filter{"source": "a"}, "cats a"}} {
		hits, err := vs.SimilaritySearch(t.Context(), "cats", 10, tc.filter)
		if err != nil || len(hits) != 1 || hits[0].PageContent != tc.want {
			t.Errorf("SimilaritySearch(filter %v) = %v, %v; want only %q", tc.filter, hits, err, tc.want)
		}
	}
}

func TestInitErrors(t *testing.T) {
	emb := &llmtest.SuiteEmbedder{}
	tests := []struct {
		name   string
		def    node.Definition
		inputs map[string]any
		want   error
	}{
		{name: "no embeddings", def: memoryVectorStore, inputs: nil, want: node.ErrMissingInput},
		{name: "embeddings of the wrong type", def: memoryVectorStore, inputs: map[string]any{"embeddings": "x"}, want: node.ErrInvalidInput},
		{name: "bad top k", def: memoryVectorStore, inputs: map[string]any{"embeddings": emb, "topK": "many"}, want: node.ErrInvalidInput},
		{name: "unknown search type", def: pineconeNode, inputs: map[string]any{"embeddings": emb, "pineconeIndex": "i", "searchType": "best"}},
		{name: "bad filter JSON", def: chromaNode, inputs: map[string]any{"embeddings": emb, "collectionName": "c", "chromaMetadataFilter": "{"}, want: node.ErrInvalidInput},
		{name: "qdrant without URL", def: qdrantNode, inputs: map[string]any{"embeddings": emb, "qdrantCollection": "c"}},
		{name: "postgres bad table", def: postgres, inputs: map[string]any{"embeddings": emb, "host": "h", "tableName": "a;b"}},
		{name: "postgres bad distance", def: postgres, inputs: map[string]any{"embeddings": emb, "host": "h", "distanceStrategy": "manhattan"}},
		{name: "faiss escaping path", def: faiss, inputs: map[string]any{"embeddings": emb, "basePath": "../x"}},
		{name: "embedded without data dir", def: embeddedVectorStore, inputs: map[string]any{"embeddings": emb}, want: errNoDataDir},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.def.Init(t.Context(), &node.Data{ID: "n", Inputs: tc.inputs}, &node.Runtime{})
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("Init error = %v, want an error matching %v", err, tc.want)
			}
		})
	}
}

func TestUpsertRejectsUnknownDocumentInput(t *testing.T) {
	in := mergeInputs(map[string]any{"embeddings": &llmtest.SuiteEmbedder{}, "document": []any{42}}, nil)
	inst, err := memoryVectorStore.Init(t.Context(), &node.Data{ID: "m", Inputs: in}, &node.Runtime{Upsert: true})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if _, err := inst.(llm.Upserter).Upsert(t.Context()); err == nil {
		t.Errorf("Upsert with a number as document input succeeded, want an error")
	}
}
