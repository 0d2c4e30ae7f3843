package retrievers

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

const (
	inVectorStore = "vectorStore"
	inMinScore    = "minSimilarityScore"
	inMaxK        = "maxK"
	inKIncrement  = "kIncrement"
)

var similarityThresholdRetriever = node.Definition{
	Spec: node.Spec{
		Label:       "Similarity Score Threshold Retriever",
		Name:        "similarityThresholdRetriever",
		Version:     2,
		Type:        "SimilarityThresholdRetriever",
		Icon:        "similaritythreshold.svg",
		Category:    "Retrievers",
		Description: "Return results based on the minimum similarity percentage",
		BaseClasses: []string{"SimilarityThresholdRetriever", "BaseRetriever"},
		Inputs: []node.Param{
			{Label: "Vector Store", Name: inVectorStore, Type: "VectorStore"},
			{Label: "Minimum Similarity Score (%)", Name: inMinScore, Type: "number", Default: 80, Step: 1,
				Description: "Finds results with at least this similarity score"},
			{Label: "Max K", Name: inMaxK, Type: "number", Default: 20, Step: 1, AdditionalParams: true,
				Description: "The maximum number of results to fetch"},
			{Label: "K Increment", Name: inKIncrement, Type: "number", Default: 2, Step: 1, AdditionalParams: true,
				Description: "How much to increase K by each time. It'll fetch N results, then N + kIncrement, then N + kIncrement * 2, etc."},
		},
		Outputs: []node.Output{
			{Label: "Similarity Threshold Retriever", Name: "retriever", BaseClasses: []string{"SimilarityThresholdRetriever", "BaseRetriever"}},
		},
	},
	Init: initSimilarityThreshold,
}

// thresholdRetriever widens k until a hit falls under the minimum score
// or maxK is reached, then returns the hits at or above it.
type thresholdRetriever struct {
	store     llm.VectorStore
	minScore  float64 // 0..1
	maxK      int
	increment int
}

func initSimilarityThreshold(ctx context.Context, data *node.Data, rt *node.Runtime) (any, error) {
	store, err := node.Input[llm.VectorStore](data, inVectorStore)
	if err != nil {
		return nil, err
	}
	minPct, err := data.Float(inMinScore, 80)
	if err != nil {
		return nil, err
	}
	if minPct < 0 || minPct > 100 {
		return nil, fmt.Errorf("input %q: %v is not a percentage from 0 to 100", inMinScore, minPct)
	}
	maxK, err := data.Int(inMaxK, 20)
	if err != nil {
		return nil, err
	}
	inc, err := data.Int(inKIncrement, 2)
	if err != nil {
		return nil, err
	}
	if maxK < 1 || inc < 1 {
		return nil, fmt.Errorf("inputs %q and %q must be at least 1", inMaxK, inKIncrement)
	}
	return &thresholdRetriever{store: store, minScore: minPct / 100, maxK: maxK, increment: inc}, nil
}

// Retrieve returns the documents scoring at least the minimum, closest first.
func (r *thresholdRetriever) Retrieve(ctx context.Context, query string) ([]llm.Document, error) {
	k := r.increment
	for {
		hits, err := r.store.SimilaritySearch(ctx, query, min(k, r.maxK), nil)
		if err != nil {
			return nil, fmt.Errorf("searching the vector store: %w", err)
		}
		var docs []llm.Document
		for _, h := range hits {
			if h.Score >= r.minScore {
				docs = append(docs, h.Document)
			}
		}
		if len(docs) < len(hits) || len(hits) < min(k, r.maxK) || k >= r.maxK {
			return docs, nil
		}
		k += r.increment
	}
}

var _ llm.Retriever = (*thresholdRetriever)(nil)
