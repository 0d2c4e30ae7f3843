package vectorstores

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

// chatStores returns the stores of llmtest's chat scoping case for a
// vector store node: collection gives, for each new collection, the node's
// inputs and runtime; every store opened on it runs init over them with
// File Upload on, the chat's id and, for an upsert, the documents as its
// document input.
func chatStores(init node.InitFunc, credential string, collection func(t *testing.T, emb llm.Embedder) (map[string]any, node.Runtime)) llmtest.ChatStores {
	return func(t *testing.T, emb llm.Embedder) func(string, []llm.Document) llm.VectorStore {
		inputs, rt := collection(t, emb)
		return func(chatID string, docs []llm.Document) llm.VectorStore {
			t.Helper()
			in := mergeInputs(inputs, map[string]any{"embeddings": emb, "fileUpload": true})
			if docs != nil {
				in["document"] = []any{docs}
			}
			r := rt
			r.ChatID, r.Upsert = chatID, docs != nil
			d := &node.Data{ID: "vectorStore_0", Credential: credential, Inputs: in, Outputs: map[string]any{"output": "vectorStore"}}
			inst, err := init(t.Context(), d, &r)
			if err != nil {
				t.Fatalf("Init for chat %q: %v", chatID, err)
			}
			if c, ok := inst.(interface{ Close(context.Context) error }); ok {
				t.Cleanup(func() { _ = c.Close(context.Background()) })
			}
			return inst.(llm.VectorStore)
		}
	}
}

func TestMatchesChatScope(t *testing.T) {
	tests := []struct {
		name     string
		metadata map[string]any
		filter   llm.Filter
		want     bool
	}{
		{name: "the chat's document", metadata: map[string]any{chatIDKey: "a"}, filter: llm.Filter{chatIDKey: "a"}, want: true},
		{name: "another chat's document", metadata: map[string]any{chatIDKey: "b"}, filter: llm.Filter{chatIDKey: "a"}},
		{name: "shared document", metadata: map[string]any{"source": "x"}, filter: llm.Filter{chatIDKey: "a"}, want: true},
		{name: "shared document without metadata", filter: llm.Filter{chatIDKey: "a"}, want: true},
		{name: "no chat sees shared documents", metadata: map[string]any{"source": "x"}, filter: llm.Filter{chatIDKey: ""}, want: true},
		{name: "no chat does not see a chat's", metadata: map[string]any{chatIDKey: "a"}, filter: llm.Filter{chatIDKey: ""}},
		{name: "other keys still apply to shared documents", metadata: map[string]any{"source": "x"}, filter: llm.Filter{chatIDKey: "a", "source": "y"}},
		{name: "other keys still apply to the chat's", metadata: map[string]any{chatIDKey: "a", "source": "x"}, filter: llm.Filter{chatIDKey: "a", "source": "x"}, want: true},
		{name: "other keys must be present", metadata: map[string]any{chatIDKey: "a"}, filter: llm.Filter{chatIDKey: "a", "source": "x"}},
		{name: "without the key, chats' documents match", metadata: map[string]any{chatIDKey: "b", "source": "x"}, filter: llm.Filter{"source": "x"}, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := matches(tc.metadata, tc.filter); got != tc.want {
				t.Errorf("matches(%v, %v) = %v, want %v", tc.metadata, tc.filter, got, tc.want)
			}
			if got := newFilterTerms(tc.filter).matches(tc.metadata); got != tc.want {
				t.Errorf("filterTerms(%v).matches(%v) = %v, want %v", tc.filter, tc.metadata, got, tc.want)
			}
		})
	}
}

func TestQdrantNativeChatScope(t *testing.T) {
	s := &qdrantStore{metadataKey: "metadata"}
	scope := map[string]any{"should": []any{
		map[string]any{"key": "metadata.flowise_chatId", "match": map[string]any{"value": "a"}},
		map[string]any{"is_empty": map[string]any{"key": "metadata.flowise_chatId"}},
	}}
	source := map[string]any{"key": "metadata.source", "match": map[string]any{"value": "x"}}
	tests := []struct {
		name   string
		filter llm.Filter
		want   map[string]any
	}{
		{name: "scope only", filter: llm.Filter{chatIDKey: "a"}, want: map[string]any{"must": []any{scope}}},
		{name: "plain keys", filter: llm.Filter{chatIDKey: "a", "source": "x"}, want: map[string]any{"must": []any{source, scope}}},
		{
			name:   "native should is kept apart",
			filter: llm.Filter{chatIDKey: "a", "should": []any{source}},
			want:   map[string]any{"should": []any{source}, "must": []any{scope}},
		},
		{
			name:   "native must as one condition",
			filter: llm.Filter{chatIDKey: "a", "must": source},
			want:   map[string]any{"must": []any{source, scope}},
		},
		{name: "no scope", filter: llm.Filter{"source": "x"}, want: map[string]any{"must": []any{source}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, s.native(tc.filter)); diff != "" {
				t.Errorf("native(%v) (-want +got):\n%s", tc.filter, diff)
			}
		})
	}
}

func TestPineconeFilterChatScope(t *testing.T) {
	scope := []any{
		map[string]any{chatIDKey: map[string]any{"$eq": "a"}},
		map[string]any{chatIDKey: map[string]any{"$exists": false}},
	}
	own := []any{map[string]any{"source": "x"}, map[string]any{"source": "y"}}
	tests := []struct {
		name   string
		filter llm.Filter
		want   map[string]any
	}{
		{name: "scope only", filter: llm.Filter{chatIDKey: "a"}, want: map[string]any{"$or": scope}},
		{name: "plain keys", filter: llm.Filter{chatIDKey: "a", "page": 2}, want: map[string]any{"page": map[string]any{"$eq": 2}, "$or": scope}},
		{
			name:   "an $or of the filter's own is required too",
			filter: llm.Filter{chatIDKey: "a", "$or": own},
			want:   map[string]any{"$and": []any{map[string]any{"$or": own}, map[string]any{"$or": scope}}},
		},
		{name: "no scope", filter: llm.Filter{"page": 2}, want: map[string]any{"page": map[string]any{"$eq": 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, pineconeFilter(tc.filter)); diff != "" {
				t.Errorf("pineconeFilter(%v) (-want +got):\n%s", tc.filter, diff)
			}
		})
	}
}

func TestMemoryVectorStoreSeedsSharedDocumentsInAChat(t *testing.T) {
	emb := &llmtest.SuiteEmbedder{}
	m := &memo{}
	loader := &staticLoader{docs: []llm.Document{{PageContent: "handbook cats purr"}}}
	build := func(chatID string, loaders []any, upsert bool) any {
		t.Helper()
		d := &node.Data{ID: "memoryVectorStore_0", Inputs: map[string]any{"document": loaders, "embeddings": emb, "fileUpload": true},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := memoryVectorStore.Init(t.Context(), d, &node.Runtime{ChatflowID: "flow1", ChatID: chatID, Memo: m, Upsert: upsert})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst
	}
	// Chat a uploads a file before any prediction: the connected documents
	// are not loaded by that upsert.
	upload := &staticLoader{docs: []llm.Document{{PageContent: "chat a upload cats nap"}}}
	if _, err := build("chat-a", []any{upload}, true).(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	// Chat a's first prediction seeds them, as documents of no chat, next
	// to its upload.
	build("chat-a", []any{loader}, false)
	for chat, want := range map[string][]string{
		"chat-a": {"chat a upload cats nap", "handbook cats purr"},
		"chat-b": {"handbook cats purr"},
	} {
		hits, err := build(chat, nil, false).(llm.VectorStore).SimilaritySearch(t.Context(), "cats", 10, nil)
		if err != nil {
			t.Fatalf("SimilaritySearch: %v", err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.PageContent)
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("chat %s hits (-want +got):\n%s", chat, diff)
		}
	}
	if loader.loads != 1 {
		t.Errorf("connected documents loaded %d times, want 1", loader.loads)
	}
}

// TestVecIndexChatScopedRecall checks a filtered search past exactMaxRows
// matching rows (a File Upload chat scope over a large collection): only
// rows in scope come back, and the binary prefilter among them keeps the
// unfiltered search's recall.
func TestVecIndexChatScopedRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 20,000 vectors of 1536 dimensions")
	}
	const n, dim, queries, k = 20000, 1536, 200, 4
	r := rand.New(rand.NewPCG(3, 4))
	vecs := sparseVecs(r, n, dim, 20)
	idx := newVecIndex()
	ids := make([]string, n)
	docs := make([]llm.Document, n)
	var inScope [][]float32 // the rows chat-a sees, in row order
	var scopeIDs []string
	for i := range vecs {
		ids[i] = fmt.Sprint(i)
		docs[i] = llm.Document{PageContent: ids[i]}
		switch i % 4 {
		case 0:
			docs[i].Metadata = map[string]any{chatIDKey: "chat-b"}
			continue
		case 1:
			docs[i].Metadata = map[string]any{chatIDKey: "chat-a"}
		}
		inScope = append(inScope, vecs[i])
		scopeIDs = append(scopeIDs, ids[i])
	}
	if err := idx.upsert(ids, docs, vecs); err != nil {
		t.Fatalf("upsert: %v", err)
	}
	f := llm.Filter{chatIDKey: "chat-a"}
	found := 0
	for _, q := range sparseVecs(r, queries, dim, 20) {
		var want []string
		for _, i := range exactTop(inScope, q, k) {
			var p int
			fmt.Sscan(i, &p)
			want = append(want, scopeIDs[p])
		}
		hits, err := idx.search(q, k, f, false)
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		for _, h := range hits {
			var row int
			fmt.Sscan(h.PageContent, &row)
			if row%4 == 0 {
				t.Fatalf("search from chat-a returned row %d of chat-b", row)
			}
			if slices.Contains(want, h.PageContent) {
				found++
			}
		}
	}
	got := float64(found) / float64(k*queries)
	t.Logf("top-%d recall among %d rows in scope: %.3f", k, len(inScope), got)
	if got < 0.95 {
		t.Errorf("top-%d recall among %d rows in scope: %.3f, want ≥ 0.95", k, len(inScope), got)
	}
}

// BenchmarkEmbeddedSearchChatScoped searches 100,000 rows, one in ten a
// chat's upload (100 chats), as one chat with File Upload on does: every
// search has a flowise_chatId filter.
func BenchmarkEmbeddedSearchChatScoped(b *testing.B) {
	const n, dim, k = 100_000, 1536, 4
	r := rand.New(rand.NewPCG(7, 8))
	idx := newVecIndex()
	for lo := 0; lo < n; lo += 4096 {
		hi := min(lo+4096, n)
		vecs := gaussianVecs(r, hi-lo, dim)
		ids := make([]string, len(vecs))
		docs := make([]llm.Document, len(vecs))
		for i := range ids {
			ids[i] = fmt.Sprint(lo + i)
			docs[i] = llm.Document{PageContent: ids[i]}
			if (lo+i)%10 == 0 {
				docs[i].Metadata = map[string]any{chatIDKey: fmt.Sprintf("chat-%d", (lo+i)/10%100), "source": "upload.pdf"}
			}
		}
		if err := idx.upsert(ids, docs, vecs); err != nil {
			b.Fatalf("upsert: %v", err)
		}
	}
	queries := gaussianVecs(r, 1000, dim)
	f := llm.Filter{chatIDKey: "chat-7"}
	i := 0
	for b.Loop() {
		if _, err := idx.search(queries[i%len(queries)], k, f, false); err != nil {
			b.Fatalf("search: %v", err)
		}
		i++
	}
}
