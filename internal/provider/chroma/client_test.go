package chroma_test

import (
	"errors"
	"testing"

	"github.com/floehq/floe/internal/provider/chroma"
	"github.com/floehq/floe/internal/provider/chroma/chromatest"
)

func TestClient(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		srv := chromatest.New(t)
		srv.Token, srv.V1Only = "tok", v1
		c := &chroma.Client{BaseURL: srv.URL, Token: "tok"}
		ctx := t.Context()
		col, err := c.GetOrCreateCollection(ctx, "docs", map[string]any{"hnsw:space": "cosine"})
		if err != nil {
			t.Fatalf("v1=%v: GetOrCreateCollection: %v", v1, err)
		}
		again, err := c.GetOrCreateCollection(ctx, "docs", nil)
		if err != nil || again.ID != col.ID {
			t.Errorf("v1=%v: second GetOrCreateCollection = %+v, %v; want id %s", v1, again, err, col.ID)
		}
		rec := chroma.Records{
			IDs:        []string{"a", "b"},
			Embeddings: [][]float32{{1, 0}, {0, 1}},
			Metadatas:  []map[string]any{{"tag": "x"}, nil},
			Documents:  []string{"doc a", "doc b"},
		}
		if err := c.Upsert(ctx, col.ID, rec); err != nil {
			t.Fatalf("v1=%v: Upsert: %v", v1, err)
		}
		got, err := c.Query(ctx, col.ID, []float32{1, 0.2}, 5, map[string]any{"tag": "x"})
		if err != nil || len(got) != 1 || got[0].ID != "a" || got[0].Document != "doc a" || len(got[0].Embedding) != 2 {
			t.Errorf("v1=%v: Query = %+v, %v; want record a with its embedding", v1, got, err)
		}
		if err := c.Delete(ctx, col.ID, []string{"a"}); err != nil {
			t.Fatalf("v1=%v: Delete: %v", v1, err)
		}
		if srv.Count("docs") != 1 {
			t.Errorf("v1=%v: %d records left, want 1", v1, srv.Count("docs"))
		}
		_, err = c.Query(ctx, col.ID, []float32{1, 0}, 5, map[string]any{"a": 1, "b": 2})
		var ce *chroma.Error
		if !errors.As(err, &ce) || ce.StatusCode != 400 {
			t.Errorf("v1=%v: Query with a two-key where = %v, want a 400 chroma error", v1, err)
		}
	}
}
