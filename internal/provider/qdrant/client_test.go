package qdrant_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/provider/qdrant"
	"github.com/floehq/floe/internal/provider/qdrant/qdranttest"
)

func TestClient(t *testing.T) {
	srv := qdranttest.New(t)
	srv.APIKey = "k"
	c := &qdrant.Client{BaseURL: srv.URL + "/", APIKey: "k"}
	ctx := t.Context()
	if _, err := c.GetCollection(ctx, "docs"); !errors.Is(err, qdrant.ErrNotFound) {
		t.Fatalf("GetCollection of a missing collection = %v, want ErrNotFound", err)
	}
	if err := c.CreateCollection(ctx, "docs", map[string]any{"vectors": map[string]any{"size": 2, "distance": "Cosine"}}); err != nil {
		t.Fatalf("CreateCollection: %v", err)
	}
	got, err := c.GetCollection(ctx, "docs")
	if err != nil || got != (qdrant.Collection{Size: 2, Distance: "Cosine"}) {
		t.Errorf("GetCollection = %+v, %v", got, err)
	}
	points := []qdrant.Point{
		{ID: "00000000-0000-4000-8000-000000000001", Vector: []float32{1, 0}, Payload: map[string]any{"metadata": map[string]any{"tag": "x"}}},
		{ID: "00000000-0000-4000-8000-000000000002", Vector: []float32{0, 1}, Payload: map[string]any{"metadata": map[string]any{"tag": "y"}}},
	}
	if err := c.Upsert(ctx, "docs", points); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	hits, err := c.Search(ctx, "docs", qdrant.SearchRequest{Vector: []float32{1, 0.1}, Limit: 5, WithPayload: true,
		Filter: map[string]any{"must": []any{map[string]any{"key": "metadata.tag", "match": map[string]any{"value": "y"}}}}})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if len(hits) != 1 || hits[0].ID != points[1].ID {
		t.Errorf("filtered Search = %+v, want point 2", hits)
	}
	if err := c.Delete(ctx, "docs", []string{points[0].ID}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if srv.Count("docs") != 1 {
		t.Errorf("%d points left, want 1", srv.Count("docs"))
	}
	tests := []struct {
		name   string
		call   func() error
		status int
	}{
		{name: "bad id", call: func() error {
			return c.Upsert(ctx, "docs", []qdrant.Point{{ID: "not-a-uuid", Vector: []float32{1, 0}}})
		}, status: 400},
		{name: "wrong dimension", call: func() error {
			return c.Upsert(ctx, "docs", []qdrant.Point{{ID: "7", Vector: []float32{1}}})
		}, status: 400},
		{name: "duplicate collection", call: func() error {
			return c.CreateCollection(ctx, "docs", map[string]any{"vectors": map[string]any{"size": 2, "distance": "Cosine"}})
		}, status: 409},
		{name: "wrong key", call: func() error {
			_, err := (&qdrant.Client{BaseURL: srv.URL, APIKey: "bad"}).GetCollection(ctx, "docs")
			return err
		}, status: 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var qe *qdrant.Error
			if err := tc.call(); !errors.As(err, &qe) || qe.StatusCode != tc.status || qe.Message == "" {
				t.Errorf("error = %v, want a qdrant error with status %d and a message", err, tc.status)
			}
		})
	}
	if diff := cmp.Diff("qdrant: 404 Not Found: gone", (&qdrant.Error{StatusCode: 404, Message: "gone"}).Error()); diff != "" {
		t.Errorf("Error() (-want +got):\n%s", diff)
	}
}
