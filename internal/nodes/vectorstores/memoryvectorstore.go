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
//
// Flowise's node has no File Upload input; Floe adds it as an additional
// parameter. With it on, a chat's upload is added to the contents (tagged
// with the chat id) instead of replacing them, and searches see that
// chat's documents and those of no chat.
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
			fileUploadParam(),
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
	in, err := newInstance(data, rt, s, nil)
	if err != nil {
		return nil, err
	}
	in.reset = s.reset
	in.upsertMu = &entry.mu
	in.upserted = func() {
		if in.chatID == "" { // a chat's upload leaves the connected documents unloaded
			entry.seeded = true
		}
	}
	if rt == nil || !rt.Upsert {
		if err := entry.seed(ctx, in); err != nil {
			return nil, err
		}
	}
	return in.output(data), nil
}

// seed adds the connected documents, as documents of no chat, to a store
// that was never upserted (it may hold chats' uploads, which it keeps).
func (e *memoryEntry) seed(ctx context.Context, in *instance) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seeded || len(in.loaders) == 0 {
		return nil
	}
	if _, err := in.upsert(ctx, "", false); err != nil {
		return err
	}
	e.seeded = true
	return nil
}
