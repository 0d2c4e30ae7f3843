package vectorstores

import (
	"context"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/floehq/floe/internal/llm"
)

// cosine returns the cosine similarity of a and b, 0 when either is zero or
// their lengths differ.
func cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// mmr picks up to k of the candidate vectors by maximal marginal relevance
// to query and returns their indexes in pick order: LangChain's
// maximalMarginalRelevance. The most similar candidate comes first; each
// next one maximises lambda·sim(query, c) − (1−lambda)·max sim(c, picked).
func mmr(query []float32, candidates [][]float32, k int, lambda float64) []int {
	n := len(candidates)
	if n == 0 || k <= 0 {
		return nil
	}
	toQuery := make([]float64, n)
	best := 0
	for i, c := range candidates {
		toQuery[i] = cosine(query, c)
		if toQuery[i] > toQuery[best] {
			best = i
		}
	}
	picked := []int{best}
	isPicked := make([]bool, n)
	isPicked[best] = true
	// maxToPicked[i] is candidate i's highest similarity to a picked one.
	maxToPicked := make([]float64, n)
	for i, c := range candidates {
		maxToPicked[i] = cosine(c, candidates[best])
	}
	for len(picked) < min(k, n) {
		next, nextScore := -1, math.Inf(-1)
		for i := range candidates {
			if isPicked[i] {
				continue
			}
			if s := lambda*toQuery[i] - (1-lambda)*maxToPicked[i]; s > nextScore {
				next, nextScore = i, s
			}
		}
		picked = append(picked, next)
		isPicked[next] = true
		for i, c := range candidates {
			maxToPicked[i] = max(maxToPicked[i], cosine(c, candidates[next]))
		}
	}
	return picked
}

// embedBatch is how many texts one Embed call receives.
const embedBatch = 2048

// embedAll embeds texts in batches and checks the embedder's answer.
func embedAll(ctx context.Context, emb llm.Embedder, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += embedBatch {
		part := texts[start:min(start+embedBatch, len(texts))]
		vecs, err := emb.Embed(ctx, part)
		if err != nil {
			return nil, fmt.Errorf("embedding documents: %w", err)
		}
		if len(vecs) != len(part) {
			return nil, fmt.Errorf("embedding documents: got %d vectors for %d texts", len(vecs), len(part))
		}
		out = append(out, vecs...)
	}
	for i, v := range out {
		if len(v) == 0 || len(v) != len(out[0]) {
			return nil, fmt.Errorf("embedding documents: vector %d has dimension %d, want %d", i, len(v), len(out[0]))
		}
	}
	return out, nil
}

// embedQuery embeds one search query.
func embedQuery(ctx context.Context, emb llm.Embedder, query string) ([]float32, error) {
	vecs, err := emb.Embed(ctx, []string{query})
	if err != nil {
		return nil, fmt.Errorf("embedding the query: %w", err)
	}
	if len(vecs) != 1 || len(vecs[0]) == 0 {
		return nil, fmt.Errorf("embedding the query: got %d vectors, want 1", len(vecs))
	}
	return vecs[0], nil
}

// docIDs returns ids, or fresh random UUIDs when ids is nil. A non-nil ids
// must have one id per document.
func docIDs(ids []string, n int) ([]string, error) {
	if ids == nil {
		out := make([]string, n)
		for i := range out {
			out[i] = newUUID()
		}
		return out, nil
	}
	if len(ids) != n {
		return nil, fmt.Errorf("got %d ids for %d documents", len(ids), n)
	}
	return ids, nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() string { return uuid.NewString() }

// isUUID reports whether s is a UUID.
func isUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil
}

// prepare checks or generates the ids of docs and embeds their texts: the
// first step of every store's AddDocuments. An empty docs returns no
// vectors.
func prepare(ctx context.Context, emb llm.Embedder, docs []llm.Document, ids []string) ([]string, [][]float32, error) {
	ids, err := docIDs(ids, len(docs))
	if err != nil || len(docs) == 0 {
		return ids, nil, err
	}
	texts := make([]string, len(docs))
	for i, d := range docs {
		texts[i] = d.PageContent
	}
	vecs, err := embedAll(ctx, emb, texts)
	return ids, vecs, err
}

// hitSearcher is the search primitive of every store: the query's vector
// and the k closest documents matching f, best first, with their vectors
// when withVectors is set.
type hitSearcher interface {
	search(ctx context.Context, query string, k int, f llm.Filter, withVectors bool) ([]float32, []hit, error)
}

// similarity implements [llm.VectorStore.SimilaritySearch] over s.
func similarity(ctx context.Context, s hitSearcher, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	_, hits, err := s.search(ctx, query, k, f, false)
	if err != nil {
		return nil, err
	}
	out := make([]llm.ScoredDocument, len(hits))
	for i, h := range hits {
		out[i] = h.ScoredDocument
	}
	return out, nil
}

// marginal implements [llm.MMRSearcher.MaxMarginalRelevanceSearch] over s:
// it fetches fetchK candidates with their vectors and picks k by MMR.
func marginal(ctx context.Context, s hitSearcher, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	q, hits, err := s.search(ctx, query, max(k, fetchK), f, true)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	return pickMMR(q, hits, k, lambda), nil
}

// pickMMR reorders hits (with their vectors) by maximal marginal relevance
// to q and returns the k chosen documents.
func pickMMR(q []float32, hits []hit, k int, lambda float64) []llm.Document {
	vecs := make([][]float32, len(hits))
	for i, h := range hits {
		vecs[i] = h.vec
	}
	var out []llm.Document
	for _, i := range mmr(q, vecs, k, lambda) {
		out = append(out, hits[i].Document)
	}
	return out
}

var (
	_ hitSearcher = (*flatStore)(nil)
	_ hitSearcher = (*sqliteVecStore)(nil)
	_ hitSearcher = (*pgStore)(nil)
	_ hitSearcher = (*qdrantStore)(nil)
	_ hitSearcher = (*chromaStore)(nil)
	_ hitSearcher = (*pineconeStore)(nil)
)
