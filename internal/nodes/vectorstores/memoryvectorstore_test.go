package vectorstores

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

func TestFlatStoreConformance(t *testing.T) {
	llmtest.TestVectorStore(t, func(_ *testing.T, emb llm.Embedder) llm.VectorStore {
		return &flatStore{idx: newFlatIndex(), emb: emb}
	}, chatStores(memoryVectorStore.Init, "", func(*testing.T, llm.Embedder) (map[string]any, node.Runtime) {
		return nil, node.Runtime{ChatflowID: "flow1", Memo: &memo{}} // a new memo: a new store
	}))
}

// memo is a node.Memo over a sync.Map, as the server's.
type memo struct{ m sync.Map }

func (m *memo) LoadOrStore(key string, value any) (any, bool) { return m.m.LoadOrStore(key, value) }
func (m *memo) Delete(key string)                             { m.m.Delete(key) }

// staticLoader is a document loader returning fixed documents and counting
// its loads.
type staticLoader struct {
	docs  []llm.Document
	loads int
}

func (l *staticLoader) Load(context.Context) ([]llm.Document, error) {
	l.loads++
	return l.docs, nil
}

func TestMemoryVectorStoreSharesUpsertWithPredictions(t *testing.T) {
	emb := &llmtest.SuiteEmbedder{}
	loader := &staticLoader{docs: []llm.Document{
		{PageContent: "cats purr", Metadata: map[string]any{"source": "a"}},
		{PageContent: "dogs bark", Metadata: map[string]any{"source": "b"}},
		{PageContent: ""},
	}}
	m := &memo{}
	build := func(upsert bool, loaders []any, output string) any {
		t.Helper()
		d := &node.Data{ID: "memoryVectorStore_0", Name: "memoryVectorStore",
			Inputs:  map[string]any{"document": loaders, "embeddings": emb, "topK": "1"},
			Outputs: map[string]any{"output": output}}
		inst, err := memoryVectorStore.Init(t.Context(), d, &node.Runtime{ChatflowID: "flow1", Memo: m, Upsert: upsert})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst
	}

	res, err := build(true, []any{loader}, "retriever").(llm.Upserter).Upsert(t.Context())
	if err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if res.NumAdded != 2 || len(res.AddedDocs) != 2 {
		t.Errorf("upsert added %d (%d docs), want 2", res.NumAdded, len(res.AddedDocs))
	}
	// A prediction: the engine passes no loaders; the memo has the documents.
	r, ok := build(false, nil, "retriever").(llm.Retriever)
	if !ok {
		t.Fatalf("retriever output does not implement llm.Retriever")
	}
	got, err := r.Retrieve(t.Context(), "why do dogs bark")
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	want := []llm.Document{{PageContent: "dogs bark", Metadata: map[string]any{"source": "b"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retrieve (-want +got):\n%s", diff)
	}
	// With loaders connected, a prediction does not load them again.
	build(false, []any{loader}, "vectorStore")
	if loader.loads != 1 {
		t.Errorf("loader loaded %d times, want 1", loader.loads)
	}
	// A second upsert replaces the contents.
	loader.docs = []llm.Document{{PageContent: "birds sing"}}
	if _, err := build(true, []any{loader}, "vectorStore").(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("second Upsert: %v", err)
	}
	hits, err := build(false, nil, "vectorStore").(llm.VectorStore).SimilaritySearch(t.Context(), "dogs", 10, nil)
	if err != nil {
		t.Fatalf("SimilaritySearch: %v", err)
	}
	if len(hits) != 1 || hits[0].PageContent != "birds sing" {
		t.Errorf("after the second upsert, hits = %v, want only birds sing", hits)
	}
}

func TestMemoryVectorStoreSeedsOnFirstPrediction(t *testing.T) {
	emb := &llmtest.SuiteEmbedder{}
	loader := &staticLoader{docs: []llm.Document{{PageContent: "cats purr"}, {PageContent: "dogs bark"}}}
	m := &memo{}
	for range 3 {
		d := &node.Data{ID: "memoryVectorStore_0", Inputs: map[string]any{"document": []any{loader}, "embeddings": emb},
			Outputs: map[string]any{"output": "retriever"}}
		inst, err := memoryVectorStore.Init(t.Context(), d, &node.Runtime{ChatflowID: "flow1", Memo: m})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		docs, err := inst.(llm.Retriever).Retrieve(t.Context(), "cats")
		if err != nil || len(docs) != 2 || docs[0].PageContent != "cats purr" {
			t.Errorf("Retrieve = %v, %v; want cats first of 2", docs, err)
		}
	}
	if loader.loads != 1 || emb.Texts() != 2+3 {
		t.Errorf("loads = %d, texts embedded = %d; want 1 and 5 (two documents once, three queries)", loader.loads, emb.Texts())
	}
}
