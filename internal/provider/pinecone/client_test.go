package pinecone_test

import (
	"errors"
	"testing"

	"github.com/floehq/floe/internal/provider/pinecone"
	"github.com/floehq/floe/internal/provider/pinecone/pineconetest"
)

func TestClient(t *testing.T) {
	srv := pineconetest.New(t, "pk", "idx", 2)
	c := &pinecone.Client{APIKey: "pk", ControlURL: srv.URL, HTTP: srv.Client()}
	ctx := t.Context()
	if _, err := c.DescribeIndex(ctx, "missing"); !errors.Is(err, pinecone.ErrNotFound) {
		t.Errorf("DescribeIndex(missing) = %v, want ErrNotFound", err)
	}
	idx, err := c.DescribeIndex(ctx, "idx")
	if err != nil || idx.Host != srv.Host() || idx.Metric != "cosine" || idx.Dimension != 2 {
		t.Fatalf("DescribeIndex = %+v, %v", idx, err)
	}
	vecs := []pinecone.Vector{
		{ID: "a", Values: []float32{1, 0}, Metadata: map[string]any{"genre": "drama", "tags": []string{"x", "y"}}},
		{ID: "b", Values: []float32{0, 1}, Metadata: map[string]any{"genre": "comedy"}},
	}
	if err := c.Upsert(ctx, idx.Host, "ns", vecs); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	tests := []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{name: "none", want: []string{"a", "b"}},
		{name: "eq", filter: map[string]any{"genre": map[string]any{"$eq": "comedy"}}, want: []string{"b"}},
		{name: "list element", filter: map[string]any{"tags": map[string]any{"$in": []any{"y"}}}, want: []string{"a"}},
		{name: "or exists", filter: map[string]any{"$or": []any{map[string]any{"tags": map[string]any{"$exists": false}}}}, want: []string{"b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Query(ctx, idx.Host, pinecone.Query{Namespace: "ns", Vector: []float32{1, 0.1}, TopK: 5, Filter: tc.filter, IncludeMetadata: true})
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			var ids []string
			for _, m := range got {
				ids = append(ids, m.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) {
				t.Errorf("Query ids = %v, want %v", ids, tc.want)
			}
		})
	}
	if err := c.Delete(ctx, idx.Host, "ns", []string{"a"}); err != nil || srv.Count("ns") != 1 {
		t.Errorf("Delete: %v, %d left; want 1", err, srv.Count("ns"))
	}
	bad := &pinecone.Client{APIKey: "wrong", ControlURL: srv.URL, HTTP: srv.Client()}
	var pe *pinecone.Error
	if _, err := bad.DescribeIndex(ctx, "idx"); !errors.As(err, &pe) || pe.StatusCode != 401 || pe.Message != "Invalid API Key" {
		t.Errorf("DescribeIndex with a wrong key = %v, want 401 Invalid API Key", err)
	}
}
