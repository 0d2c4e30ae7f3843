package vectorstores

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/floehq/floe/internal/llm"
)

// flatEntry is one stored document with its vector.
type flatEntry struct {
	id  string
	doc llm.Document
	vec []float32
}

// flatIndex is an exact (brute-force) cosine index held in memory: the
// contents of the In-Memory and Faiss vector stores. It knows nothing of
// embedders. It is safe for concurrent use.
type flatIndex struct {
	mu      sync.RWMutex // guards entries, pos and dim
	entries []flatEntry
	pos     map[string]int // id → index in entries
	dim     int            // vector dimension, 0 while empty
}

func newFlatIndex() *flatIndex { return &flatIndex{pos: map[string]int{}} }

// upsert stores the documents with their vectors, replacing those with the
// same ids.
func (x *flatIndex) upsert(ids []string, docs []llm.Document, vecs [][]float32) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, v := range vecs {
		if x.dim != 0 && len(v) != x.dim || len(vecs[0]) != len(v) {
			return fmt.Errorf("vector %d has dimension %d but the store holds dimension %d: the embeddings changed, so upsert again into an empty store", i, len(v), cmp.Or(x.dim, len(vecs[0])))
		}
	}
	for i, id := range ids {
		e := flatEntry{id: id, doc: cloneDoc(docs[i]), vec: slices.Clone(vecs[i])}
		if p, ok := x.pos[id]; ok {
			x.entries[p] = e
			continue
		}
		x.pos[id] = len(x.entries)
		x.entries = append(x.entries, e)
	}
	if len(x.entries) > 0 {
		x.dim = len(x.entries[0].vec)
	}
	return nil
}

// delete removes the entries with the given ids, keeping the others in
// insertion order.
func (x *flatIndex) delete(ids []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	gone := false
	for _, id := range ids {
		if _, ok := x.pos[id]; ok {
			delete(x.pos, id)
			gone = true
		}
	}
	if !gone {
		return
	}
	kept := x.entries[:0]
	for _, e := range x.entries {
		if _, ok := x.pos[e.id]; ok {
			x.pos[e.id] = len(kept)
			kept = append(kept, e)
		}
	}
	clear(x.entries[len(kept):])
	x.entries = kept
	if len(kept) == 0 {
		x.dim = 0
	}
}

// reset empties the index.
func (x *flatIndex) reset() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.entries, x.dim = nil, 0
	clear(x.pos)
}

// len returns the number of stored documents.
func (x *flatIndex) len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.entries)
}

// hit is a search result with the stored vector.
type hit struct {
	llm.ScoredDocument
	vec []float32
}

// search returns the k entries closest to q that match f, best first (ties
// in insertion order).
func (x *flatIndex) search(q []float32, k int, f llm.Filter) ([]hit, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.dim != 0 && len(q) != x.dim {
		return nil, fmt.Errorf("the query vector has dimension %d but the store holds dimension %d: were the embeddings changed since the upsert?", len(q), x.dim)
	}
	var hits []hit
	for _, e := range x.entries {
		if !matches(e.doc.Metadata, f) {
			continue
		}
		hits = append(hits, hit{ScoredDocument: llm.ScoredDocument{Document: e.doc, Score: cosine(q, e.vec)}, vec: e.vec})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.Score, a.Score) })
	hits = hits[:min(k, len(hits))]
	for i := range hits {
		hits[i].Document = cloneDoc(hits[i].Document)
	}
	return hits, nil
}

// snapshot returns a copy of the entries, in insertion order.
func (x *flatIndex) snapshot() []flatEntry {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return slices.Clone(x.entries)
}

// cloneDoc copies d's metadata map so callers cannot alias stored state.
func cloneDoc(d llm.Document) llm.Document {
	d.Metadata = maps.Clone(d.Metadata)
	return d
}

// flatStore is an [llm.VectorStore] over a flatIndex, embedding with emb.
// persist, when set, is called after every change (the Faiss node saves its
// file there).
type flatStore struct {
	idx     *flatIndex
	emb     llm.Embedder
	persist func() error
}

// AddDocuments implements [llm.VectorStore].
func (s *flatStore) AddDocuments(ctx context.Context, docs []llm.Document, ids []string) ([]string, error) {
	ids, vecs, err := prepare(ctx, s.emb, docs, ids)
	if err != nil || len(docs) == 0 {
		return ids, err
	}
	if err := s.idx.upsert(ids, docs, vecs); err != nil {
		return nil, err
	}
	return ids, s.save()
}

// SimilaritySearch implements [llm.VectorStore].
func (s *flatStore) SimilaritySearch(ctx context.Context, query string, k int, f llm.Filter) ([]llm.ScoredDocument, error) {
	return similarity(ctx, s, query, k, f)
}

// MaxMarginalRelevanceSearch implements [llm.MMRSearcher].
func (s *flatStore) MaxMarginalRelevanceSearch(ctx context.Context, query string, k, fetchK int, lambda float64, f llm.Filter) ([]llm.Document, error) {
	return marginal(ctx, s, query, k, fetchK, lambda, f)
}

// search implements hitSearcher; the index always returns vectors.
func (s *flatStore) search(ctx context.Context, query string, k int, f llm.Filter, _ bool) ([]float32, []hit, error) {
	if s.idx.len() == 0 {
		return nil, nil, nil
	}
	q, err := embedQuery(ctx, s.emb, query)
	if err != nil {
		return nil, nil, err
	}
	hits, err := s.idx.search(q, k, f)
	return q, hits, err
}

// Delete implements [llm.VectorStore].
func (s *flatStore) Delete(_ context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	s.idx.delete(ids)
	return s.save()
}

// reset empties the store.
func (s *flatStore) reset(context.Context) error {
	s.idx.reset()
	return s.save()
}

func (s *flatStore) save() error {
	if s.persist == nil {
		return nil
	}
	return s.persist()
}

var (
	_ llm.VectorStore = (*flatStore)(nil)
	_ llm.MMRSearcher = (*flatStore)(nil)
)
