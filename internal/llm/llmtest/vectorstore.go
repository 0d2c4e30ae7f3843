package llmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
)

// SuiteEmbedder is a deterministic bag-of-words [llm.Embedder]: each
// lower-cased word adds one to a dimension chosen by its FNV hash, and the
// vector is scaled to unit length. Texts sharing words are similar; an empty
// text embeds as the first unit vector. The zero value uses 256 dimensions.
// It is safe for concurrent use and counts the texts it embedded.
type SuiteEmbedder struct {
	// Dim is the vector dimension (0 means 256).
	Dim   int
	texts atomic.Int64
}

// Embed implements [llm.Embedder].
func (e *SuiteEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.texts.Add(int64(len(texts)))
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = e.vector(t)
	}
	return out, nil
}

// Texts returns how many texts e has embedded.
func (e *SuiteEmbedder) Texts() int { return int(e.texts.Load()) }

// Vector returns the embedding of text.
func (e *SuiteEmbedder) Vector(text string) []float32 { return e.vector(text) }

func (e *SuiteEmbedder) vector(text string) []float32 {
	dim := e.Dim
	if dim <= 0 {
		dim = 256
	}
	v := make([]float32, dim)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[int(h.Sum32()%uint32(dim))]++
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if norm == 0 {
		v[0] = 1
		return v
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / math.Sqrt(norm))
	}
	return v
}

// Cosine returns the cosine similarity of a and b (0 when either is zero).
func Cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range min(len(a), len(b)) {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// Document ids of the suite. They are UUIDs because some stores (Qdrant,
// pgvector tables as Flowise creates them) accept nothing else.
const (
	idCats    = "00000000-0000-4000-8000-000000000001"
	idDogs    = "00000000-0000-4000-8000-000000000002"
	idStocks  = "00000000-0000-4000-8000-000000000003"
	idBonds   = "00000000-0000-4000-8000-000000000004"
	idWeather = "00000000-0000-4000-8000-000000000005"
)

// corpus is the suite's documents, with scalar metadata every store can
// keep as it is.
func corpus() ([]llm.Document, []string) {
	docs := []llm.Document{
		{PageContent: "cats purr and chase mice around the house", Metadata: map[string]any{"topic": "animals", "lang": "en", "page": 1}},
		{PageContent: "dogs bark and fetch sticks in the park", Metadata: map[string]any{"topic": "animals", "lang": "fr", "page": 2}},
		{PageContent: "stocks rose as markets rallied on earnings", Metadata: map[string]any{"topic": "finance", "lang": "en", "page": 3}},
		{PageContent: "bonds fell while yields climbed on inflation fears", Metadata: map[string]any{"topic": "finance", "lang": "de", "page": 4, "archived": true}},
		{PageContent: "rain and wind expected across the coast tomorrow", Metadata: map[string]any{"topic": "weather", "lang": "en", "page": 5}},
	}
	return docs, []string{idCats, idDogs, idStocks, idBonds, idWeather}
}

// TestVectorStore is the conformance suite every [llm.VectorStore] passes.
// newStore returns an empty store embedding with emb; each subtest gets its
// own. Stores that implement [llm.MMRSearcher] are also checked to
// diversify their results. chats builds the stores of the "chat scoping"
// case, which checks the File Upload option's per-chat scope; nil skips
// it, for stores without that option.
func TestVectorStore(t *testing.T, newStore func(t *testing.T, emb llm.Embedder) llm.VectorStore, chats ChatStores) {
	t.Helper()
	fresh := func(t *testing.T) (llm.VectorStore, *SuiteEmbedder) {
		t.Helper()
		emb := &SuiteEmbedder{}
		return newStore(t, emb), emb
	}
	seed := func(t *testing.T, s llm.VectorStore) {
		t.Helper()
		docs, ids := corpus()
		got, err := s.AddDocuments(t.Context(), docs, ids)
		if err != nil {
			t.Fatalf("AddDocuments: %v", err)
		}
		if diff := cmp.Diff(ids, got); diff != "" {
			t.Errorf("AddDocuments ids (-want +got):\n%s", diff)
		}
	}

	t.Run("empty store finds nothing", func(t *testing.T) {
		s, _ := fresh(t)
		hits, err := s.SimilaritySearch(t.Context(), "cats", 4, nil)
		if err != nil {
			t.Fatalf("SimilaritySearch on an empty store: %v", err)
		}
		if len(hits) != 0 {
			t.Errorf("got %d hits, want 0", len(hits))
		}
	})

	t.Run("similarity ranks the closest first", func(t *testing.T) {
		s, emb := fresh(t)
		seed(t, s)
		const query = "why do cats purr"
		hits := search(t, s, query, 3, nil)
		if len(hits) != 3 {
			t.Fatalf("got %d hits, want 3", len(hits))
		}
		docs, _ := corpus()
		if diff := cmp.Diff(normalize(t, docs[0]), normalize(t, hits[0].Document)); diff != "" {
			t.Errorf("top hit (-want +got):\n%s", diff)
		}
		for i, h := range hits {
			if h.Score < -1.001 || h.Score > 1.001 || math.IsNaN(h.Score) {
				t.Errorf("hit %d score %v outside [-1, 1]", i, h.Score)
			}
			if i > 0 && h.Score > hits[i-1].Score+1e-6 {
				t.Errorf("hit %d score %v above hit %d score %v: want descending", i, h.Score, i-1, hits[i-1].Score)
			}
		}
		want := Cosine(emb.Vector(query), emb.Vector(docs[0].PageContent))
		if math.Abs(hits[0].Score-want) > 1e-3 {
			t.Errorf("top score = %v, want the cosine similarity %v", hits[0].Score, want)
		}
	})

	t.Run("k is respected", func(t *testing.T) {
		s, _ := fresh(t)
		seed(t, s)
		for _, k := range []int{1, 2, 5, 10} {
			if got, want := len(search(t, s, "markets and weather", k, nil)), min(k, 5); got != want {
				t.Errorf("k=%d: got %d hits, want %d", k, got, want)
			}
		}
	})

	t.Run("metadata filter", func(t *testing.T) {
		s, _ := fresh(t)
		seed(t, s)
		tests := []struct {
			name   string
			filter llm.Filter
			want   []string
		}{
			{name: "one key", filter: llm.Filter{"topic": "finance"}, want: []string{"bonds", "stocks"}},
			{name: "two keys", filter: llm.Filter{"topic": "animals", "lang": "fr"}, want: []string{"dogs"}},
			{name: "number", filter: llm.Filter{"page": 5}, want: []string{"rain"}},
			{name: "boolean", filter: llm.Filter{"archived": true}, want: []string{"bonds"}},
			{name: "no match", filter: llm.Filter{"topic": "sports"}, want: nil},
			{name: "unknown key", filter: llm.Filter{"author": "nobody"}, want: nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, firstWords(search(t, s, "cats markets rain", 10, tc.filter))); diff != "" {
					t.Errorf("hits (-want +got):\n%s", diff)
				}
			})
		}
	})

	t.Run("delete by ids", func(t *testing.T) {
		s, _ := fresh(t)
		seed(t, s)
		if err := s.Delete(t.Context(), []string{idCats, "00000000-0000-4000-8000-00000000ffff"}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		got := firstWords(search(t, s, "cats purr", 10, nil))
		if slices.Contains(got, "cats") || len(got) != 4 {
			t.Errorf("after deleting cats, hits = %v, want the 4 others", got)
		}
		if err := s.Delete(t.Context(), nil); err != nil {
			t.Errorf("Delete(nil): %v", err)
		}
	})

	t.Run("same id replaces", func(t *testing.T) {
		s, _ := fresh(t)
		seed(t, s)
		repl := llm.Document{PageContent: "parrots talk and mimic voices", Metadata: map[string]any{"topic": "birds"}}
		if _, err := s.AddDocuments(t.Context(), []llm.Document{repl}, []string{idCats}); err != nil {
			t.Fatalf("AddDocuments: %v", err)
		}
		hits := search(t, s, "parrots talk", 10, nil)
		if got := firstWords(hits); len(got) != 5 || slices.Contains(got, "cats") || !slices.Contains(got, "parrots") {
			t.Errorf("after replacing cats, hits = %v, want parrots and no cats among 5", got)
		}
		if diff := cmp.Diff(normalize(t, repl), normalize(t, hits[0].Document)); diff != "" {
			t.Errorf("replaced document (-want +got):\n%s", diff)
		}
	})

	t.Run("generated ids", func(t *testing.T) {
		s, _ := fresh(t)
		docs, _ := corpus()
		ids, err := s.AddDocuments(t.Context(), docs[:2], nil)
		if err != nil {
			t.Fatalf("AddDocuments: %v", err)
		}
		if len(ids) != 2 || ids[0] == "" || ids[0] == ids[1] {
			t.Fatalf("generated ids %q, want 2 distinct", ids)
		}
		if err := s.Delete(t.Context(), ids[:1]); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if got := firstWords(search(t, s, "cats dogs", 10, nil)); !slices.Equal(got, []string{"dogs"}) {
			t.Errorf("after deleting the first generated id, hits = %v, want [dogs]", got)
		}
	})

	t.Run("concurrent adds and searches", func(t *testing.T) {
		s, _ := fresh(t)
		const workers = 8
		var wg sync.WaitGroup
		errs := make(chan error, 2*workers)
		for i := range workers {
			wg.Go(func() {
				d := llm.Document{PageContent: fmt.Sprintf("worker %d writes note number %d", i, i), Metadata: map[string]any{"worker": i}}
				if _, err := s.AddDocuments(t.Context(), []llm.Document{d}, []string{fmt.Sprintf("00000000-0000-4000-8000-0000000001%02d", i)}); err != nil {
					errs <- err
				}
			})
			wg.Go(func() {
				if _, err := s.SimilaritySearch(t.Context(), "worker note", 3, nil); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent call: %v", err)
		}
		if got := len(search(t, s, "worker writes note", 20, nil)); got != workers {
			t.Errorf("after concurrent adds, %d documents found, want %d", got, workers)
		}
	})

	t.Run("chat scoping", func(t *testing.T) { testChatScoping(t, chats) })

	t.Run("mmr diversifies", func(t *testing.T) {
		s, _ := fresh(t)
		mmr, ok := s.(llm.MMRSearcher)
		if !ok {
			t.Skipf("%T does not implement llm.MMRSearcher", s)
		}
		docs := []llm.Document{
			{PageContent: "the cat sat on the mat", Metadata: map[string]any{"n": 1}},
			{PageContent: "the cat sat on the mat today", Metadata: map[string]any{"n": 2}},
			{PageContent: "the cat sat on the mat again and again", Metadata: map[string]any{"n": 3}},
			{PageContent: "cat naps", Metadata: map[string]any{"n": 4}},
			{PageContent: "mat cleaning tips", Metadata: map[string]any{"n": 5}},
		}
		ids := []string{idCats, idDogs, idStocks, idBonds, idWeather}
		if _, err := s.AddDocuments(t.Context(), docs, ids); err != nil {
			t.Fatalf("AddDocuments: %v", err)
		}
		// The three near-duplicates are the closest; MMR keeps the first
		// and prefers the two others.
		const query = "cat mat sat"
		plain := search(t, s, query, 3, nil)
		got, err := mmr.MaxMarginalRelevanceSearch(t.Context(), query, 3, 5, 0.5, nil)
		if err != nil {
			t.Fatalf("MaxMarginalRelevanceSearch: %v", err)
		}
		if len(got) != 3 {
			t.Fatalf("MMR returned %d documents, want 3", len(got))
		}
		if got[0].PageContent != docs[0].PageContent {
			t.Errorf("MMR first = %q, want the closest %q", got[0].PageContent, docs[0].PageContent)
		}
		var plainTexts, mmrTexts []string
		for i := range 3 {
			plainTexts = append(plainTexts, plain[i].PageContent)
			mmrTexts = append(mmrTexts, got[i].PageContent)
		}
		slices.Sort(plainTexts)
		slices.Sort(mmrTexts)
		if slices.Equal(plainTexts, mmrTexts) {
			t.Errorf("MMR with lambda 0.5 returned the similarity set %q; want near-duplicates replaced", mmrTexts)
		}
		filtered, err := mmr.MaxMarginalRelevanceSearch(t.Context(), query, 3, 5, 0.5, llm.Filter{"n": 4})
		if err != nil {
			t.Fatalf("MaxMarginalRelevanceSearch with filter: %v", err)
		}
		if len(filtered) != 1 || filtered[0].PageContent != docs[3].PageContent {
			t.Errorf("filtered MMR = %v, want only %q", filtered, docs[3].PageContent)
		}
	})
}

func search(t *testing.T, s llm.VectorStore, query string, k int, f llm.Filter) []llm.ScoredDocument {
	t.Helper()
	hits, err := s.SimilaritySearch(t.Context(), query, k, f)
	if err != nil {
		t.Fatalf("SimilaritySearch(%q, %d, %v): %v", query, k, f, err)
	}
	return hits
}

// firstWords returns the first word of each hit's text, sorted.
func firstWords(hits []llm.ScoredDocument) []string {
	var out []string
	for _, h := range hits {
		w, _, _ := strings.Cut(h.PageContent, " ")
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// normalize returns d as its JSON value, so that numbers compare equal
// whatever Go type a store decodes them into.
func normalize(t *testing.T, d llm.Document) any {
	t.Helper()
	if len(d.Metadata) == 0 {
		d.Metadata = nil
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("encoding document: %v", err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding document: %v", err)
	}
	return v
}
