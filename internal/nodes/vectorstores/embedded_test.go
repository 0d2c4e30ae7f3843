package vectorstores

import (
	"context"
	"fmt"
	"testing"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

func TestEmbeddedConformance(t *testing.T) {
	dir := t.TempDir() // one database, one collection per subtest
	m := &memo{}
	n := 0
	llmtest.TestVectorStore(t, func(t *testing.T, emb llm.Embedder) llm.VectorStore {
		n++
		d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": fmt.Sprintf("c%d", n)},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir, Memo: m})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst.(llm.VectorStore)
	}, chatStores(embeddedVectorStore.Init, "", func(*testing.T, llm.Embedder) (map[string]any, node.Runtime) {
		n++
		return map[string]any{"collectionName": fmt.Sprintf("c%d", n)}, node.Runtime{DataDir: dir, Memo: m}
	}))
}

func TestEmbeddedIndexesWithRecordManager(t *testing.T) {
	dir := t.TempDir()
	emb := &llmtest.SuiteEmbedder{}
	rm := &llmtest.MemoryRecordManager{}
	loader := &staticLoader{docs: []llm.Document{
		{PageContent: "cats purr", Metadata: map[string]any{"source": "a"}},
		{PageContent: "dogs bark", Metadata: map[string]any{"source": "b"}},
	}}
	upsert := func() llm.UpsertResult {
		t.Helper()
		d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"document": []any{loader}, "embeddings": emb, "recordManager": rm},
			Outputs: map[string]any{"output": "retriever"}}
		inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir, ChatflowID: "flow1", Upsert: true})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		defer inst.(interface{ Close(context.Context) error }).Close(t.Context())
		res, err := inst.(llm.Upserter).Upsert(t.Context())
		if err != nil {
			t.Fatalf("Upsert: %v", err)
		}
		return res
	}
	if res := upsert(); res.NumAdded != 2 {
		t.Errorf("first upsert added %d, want 2", res.NumAdded)
	}
	if res := upsert(); res.NumAdded != 0 || res.NumSkipped != 2 {
		t.Errorf("second upsert added %d, skipped %d; want 0 and 2", res.NumAdded, res.NumSkipped)
	}
	d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "filter": `{"source":"b"}`, "topK": 4},
		Outputs: map[string]any{"output": "retriever"}}
	inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir, ChatflowID: "flow1"})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	docs, err := inst.(llm.Retriever).Retrieve(t.Context(), "cats")
	if err != nil || len(docs) != 1 || docs[0].PageContent != "dogs bark" {
		t.Errorf("filtered Retrieve = %v, %v; want only dogs bark", docs, err)
	}
}
