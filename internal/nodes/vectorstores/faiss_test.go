package vectorstores

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

func TestFaissConformance(t *testing.T) {
	llmtest.TestVectorStore(t, func(t *testing.T, emb llm.Embedder) llm.VectorStore {
		d := &node.Data{ID: "faiss_0", Inputs: map[string]any{"embeddings": emb, "basePath": t.TempDir()},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := faiss.Init(t.Context(), d, &node.Runtime{})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst.(llm.VectorStore)
	}, chatStores(faiss.Init, "", func(t *testing.T, _ llm.Embedder) (map[string]any, node.Runtime) {
		return map[string]any{"basePath": t.TempDir()}, node.Runtime{}
	}))
}

func TestFaissPersists(t *testing.T) {
	dir := t.TempDir()
	emb := &llmtest.SuiteEmbedder{}
	loader := &staticLoader{docs: []llm.Document{
		{PageContent: "cats purr", Metadata: map[string]any{"source": "a", "page": 1}},
		{PageContent: "dogs bark", Metadata: map[string]any{"source": "b"}},
	}}
	build := func(loaders []any, output string) any {
		t.Helper()
		d := &node.Data{ID: "faiss_0", Inputs: map[string]any{"document": loaders, "embeddings": emb, "basePath": "idx", "topK": 1},
			Outputs: map[string]any{"output": output}}
		inst, err := faiss.Init(t.Context(), d, &node.Runtime{DataDir: dir})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst
	}
	if _, err := build([]any{loader}, "vectorStore").(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "idx", faissFile)); err != nil {
		t.Fatalf("index file: %v", err)
	}
	got, err := build(nil, "retriever").(llm.Retriever).Retrieve(t.Context(), "cats")
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	want := []llm.Document{{PageContent: "cats purr", Metadata: map[string]any{"source": "a", "page": float64(1)}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retrieve after reload (-want +got):\n%s", diff)
	}
	// An upsert replaces the saved index.
	loader.docs = loader.docs[1:]
	if _, err := build([]any{loader}, "vectorStore").(llm.Upserter).Upsert(t.Context()); err != nil {
		t.Fatalf("second Upsert: %v", err)
	}
	hits, err := build(nil, "vectorStore").(llm.VectorStore).SimilaritySearch(t.Context(), "cats", 5, nil)
	if err != nil || len(hits) != 1 || hits[0].PageContent != "dogs bark" {
		t.Errorf("after the second upsert, hits = %v, %v; want only dogs bark", hits, err)
	}
}

func TestFaissRejectsFacebookIndex(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "faiss.index"), []byte("IxFl"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &node.Data{ID: "faiss_0", Inputs: map[string]any{"embeddings": &llmtest.SuiteEmbedder{}, "basePath": dir}}
	if _, err := faiss.Init(t.Context(), d, &node.Runtime{}); err == nil {
		t.Errorf("Init over a FAISS index succeeded, want an error saying it cannot be read")
	}
}

func TestResolveBasePath(t *testing.T) {
	tests := []struct {
		name, in, dataDir, want string
		wantErr                 bool
	}{
		{name: "absolute", in: "/srv/vectors/", dataDir: "/data", want: "/srv/vectors"},
		{name: "relative", in: "flows/a", dataDir: "/data", want: "/data/flows/a"},
		{name: "empty", in: " ", dataDir: "/data", want: "/data/vectorstore"},
		{name: "relative without data dir", in: "a", wantErr: true},
		{name: "dot dot", in: "../etc", dataDir: "/data", wantErr: true},
		{name: "dot dot inside absolute", in: "/data/../etc", dataDir: "/data", wantErr: true},
		{name: "backslash dot dot", in: `a\..\..\b`, dataDir: "/data", wantErr: true},
		{name: "control character", in: "a\x00b", dataDir: "/data", wantErr: true},
		{name: "windows path", in: `C:\Users\your-folder`, dataDir: "/data", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveBasePath(tc.in, tc.dataDir)
			if tc.wantErr {
				if err == nil {
					t.Errorf("resolveBasePath(%q) = %q, want an error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("resolveBasePath(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}
