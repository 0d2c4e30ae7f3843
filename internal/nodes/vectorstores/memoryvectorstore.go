package vectorstores

import (
	"context"
	"fmt"
	"sync"

	"github.com/floehq/floe/internal/node"
)

// memoryVectorStore mirrors Flowise's InMemoryVectorStore
// (nodes/vectorstores/InMemory): an exact cosine search over vectors held
// in process memory.
//
// Unlike Flowise, which embeds the connected documents again on every
// prediction, Floe keeps the contents in the server's memo under
// "<chatflowId>/<nodeId>": an upsert replaces them, and predictions of the
// same server read them. A prediction that finds the store empty loads and
// embeds the connected documents once.
var memoryVectorStore = node.Definition{
	Spec: node.Spec{
		Label:       "In-Memory Vector Store",
		Name:        "memoryVectorStore",
		Version:     1,
		Type:        "Memory",
		Icon:        "memory.svg",
		Category:    category,
		Description: "In-memory vectorstore that stores embeddings and does an exact, linear search for the most similar embeddings.",
		BaseClasses: baseClasses("Memory"),
		Inputs: []node.Param{
			documentParam(),
			embeddingsParam(),
			topKParam(false),
		},
		Outputs: outputs("Memory", "Memory", "VectorStore"),
	},
	Init: initMemoryVectorStore,
}

// memoryEntry is one memory vector store's contents in the server memo.
type memoryEntry struct {
	idx *flatIndex
	mu  sync.Mutex // guards seeded
	// seeded is set once the store holds an upsert's or a prediction's
	// documents.
	seeded bool
}

func initMemoryVectorStore(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	emb, err := embedder(data)
	if err != nil {
		return nil, err
	}
	entry := &memoryEntry{idx: newFlatIndex()}
	if rt != nil && rt.Memo != nil {
		v, _ := rt.Memo.LoadOrStore(rt.ChatflowID+"/"+data.ID, entry)
		var ok bool
		if entry, ok = v.(*memoryEntry); !ok {
			return nil, fmt.Errorf("memo entry %s/%s holds %T, not a memory vector store", rt.ChatflowID, data.ID, v)
		}
	}
	s := &flatStore{idx: entry.idx, emb: emb}
	in, err := newInstance(data, s, nil)
	if err != nil {
		return nil, err
	}
	in.reset = s.reset
	in.upsertMu, in.upserted = &entry.mu, func() { entry.seeded = true }
	if rt == nil || !rt.Upsert {
		if err := entry.seed(ctx, in); err != nil {
			return nil, err
		}
	}
	return in.output(data), nil
}

// seed fills a store that was never upserted with the connected documents.
func (e *memoryEntry) seed(ctx context.Context, in *instance) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seeded || len(in.loaders) == 0 {
		return nil
	}
	if _, err := in.upsert(ctx); err != nil {
		return err
	}
	e.seeded = true
	return nil
}
