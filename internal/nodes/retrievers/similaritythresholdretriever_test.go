package retrievers

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// scoredStore returns fixed hits, best first, and records the ks asked.
type scoredStore struct {
	scores []float64
	ks     []int
}

func (s *scoredStore) AddDocuments(context.Context, []llm.Document, []string) ([]string, error) {
	return nil, nil
}
func (s *scoredStore) Delete(context.Context, []string) error { return nil }
func (s *scoredStore) SimilaritySearch(_ context.Context, _ string, k int, _ llm.Filter) ([]llm.ScoredDocument, error) {
	s.ks = append(s.ks, k)
	var out []llm.ScoredDocument
	for i, sc := range s.scores {
		if i == k {
			break
		}
		out = append(out, llm.ScoredDocument{Document: llm.Document{PageContent: fmt.Sprint("d", i)}, Score: sc})
	}
	return out, nil
}

func TestSimilarityThreshold(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		inputs map[string]any
		want   []string
		wantKs []int
	}{
		{"stops at the first hit under the minimum", []float64{0.95, 0.9, 0.85, 0.7, 0.6}, map[string]any{"minSimilarityScore": "80", "kIncrement": "2"},
			[]string{"d0", "d1", "d2"}, []int{2, 4}},
		{"stops at maxK", []float64{0.99, 0.98, 0.97, 0.96, 0.95}, map[string]any{"minSimilarityScore": 50, "maxK": "3", "kIncrement": 2},
			[]string{"d0", "d1", "d2"}, []int{2, 3}},
		{"stops when the store runs out", []float64{0.9}, map[string]any{}, []string{"d0"}, []int{2}},
		{"nothing good enough", []float64{0.5, 0.4}, map[string]any{}, nil, []int{2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &scoredStore{scores: tc.scores}
			tc.inputs[inVectorStore] = st
			inst, err := initSimilarityThreshold(t.Context(), &node.Data{ID: "r", Inputs: tc.inputs}, &node.Runtime{})
			if err != nil {
				t.Fatal(err)
			}
			docs, err := inst.(llm.Retriever).Retrieve(t.Context(), "q")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range docs {
				got = append(got, d.PageContent)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("docs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantKs, st.ks); diff != "" {
				t.Errorf("ks (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := initSimilarityThreshold(t.Context(), &node.Data{ID: "r", Inputs: map[string]any{inVectorStore: &scoredStore{}, inMinScore: 150}}, &node.Runtime{}); err == nil {
		t.Errorf("a 150%% minimum was accepted")
	}
}
