package vectorstores

import (
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fmt"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
	"github.com/google/go-cmp/cmp"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/floehq/floe/internal/llm"
)

// gaussianVecs returns n random Gaussian unit vectors.
func gaussianVecs(r *rand.Rand, n, dim int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		out[i] = normalize(v)
	}
	return out
}

// sparseVecs returns n non-negative unit vectors with about nonZero
// buckets set, like bag-of-words embeddings.
func sparseVecs(r *rand.Rand, n, dim, nonZero int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dim)
		for range nonZero {
			v[r.IntN(dim)] += float32(1 + r.IntN(3))
		}
		out[i] = normalize(v)
	}
	return out
}

// indexOf returns a vecIndex holding vecs under ids "0", "1", ...
func indexOf(t testing.TB, vecs [][]float32) *vecIndex {
	t.Helper()
	idx := newVecIndex()
	ids := make([]string, len(vecs))
	docs := make([]llm.Document, len(vecs))
	for i := range vecs {
		ids[i] = fmt.Sprint(i)
		docs[i] = llm.Document{PageContent: ids[i]}
	}
	for lo := 0; lo < len(vecs); lo += 4096 {
		hi := min(lo+4096, len(vecs))
		if err := idx.upsert(ids[lo:hi], docs[lo:hi], vecs[lo:hi]); err != nil {
			t.Fatalf("upsert: %v", err)
		}
	}
	return idx
}

// exactTop returns the ids of the k vectors most similar to q by float64
// cosine.
func exactTop(vecs [][]float32, q []float32, k int) []string {
	type sc struct {
		i int
		s float64
	}
	all := make([]sc, len(vecs))
	for i, v := range vecs {
		all[i] = sc{i, float64(dot32(q, v))}
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].s > all[b].s })
	out := make([]string, k)
	for i := range out {
		out[i] = fmt.Sprint(all[i].i)
	}
	return out
}

// recall returns the mean top-k recall of idx's search against brute force.
func recall(t *testing.T, idx *vecIndex, vecs, queries [][]float32, k int) float64 {
	t.Helper()
	found := 0
	for _, q := range queries {
		want := exactTop(vecs, q, k)
		hits, err := idx.search(q, k, nil, false)
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		for _, h := range hits {
			if slices.Contains(want, h.PageContent) {
				found++
			}
		}
	}
	return float64(found) / float64(k*len(queries))
}

func TestVecIndexRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 20,000 vectors of 1536 dimensions")
	}
	const n, dim, queries, k = 20000, 1536, 200, 4
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		gen  func(n int) [][]float32
	}{
		{"gaussian", func(n int) [][]float32 { return gaussianVecs(r, n, dim) }},
		{"sparse non-negative", func(n int) [][]float32 { return sparseVecs(r, n, dim, 20) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vecs, qs := tc.gen(n), tc.gen(queries)
			idx := indexOf(t, vecs)
			got := recall(t, idx, vecs, qs, k)
			t.Logf("top-%d recall with %d candidates: %.3f", k, max(candidatesPerK*k, minCandidates), got)
			if got < 0.95 {
				t.Errorf("recall %.3f, want ≥ 0.95", got)
			}
		})
	}
}

// TestVecIndexRecallByCandidates logs the recall of the binary prefilter
// by candidate count (go test -run RecallByCandidates -v -explore).
func TestVecIndexRecallByCandidates(t *testing.T) {
	if !*explore {
		t.Skip("exploration: run with -explore")
	}
	const n, dim, queries, k = 20000, 1536, 200, 4
	r := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"gaussian", "sparse"} {
		gen := func(n int) [][]float32 { return gaussianVecs(r, n, dim) }
		if name == "sparse" {
			gen = func(n int) [][]float32 { return sparseVecs(r, n, dim, 20) }
		}
		vecs, qs := gen(n), gen(queries)
		idx := indexOf(t, vecs)
		for _, c := range []int{200, 500, 1000, 2000, 4000, 6000, 8000} {
			idx.candidates = c
			t.Logf("%s: %d candidates: recall %.3f", name, c, recall(t, idx, vecs, qs, k))
		}
	}
}

var explore = flag.Bool("explore", false, "run exploratory tests")

func TestEmbeddedPersists(t *testing.T) {
	dir := t.TempDir()
	emb := &llmtest.SuiteEmbedder{}
	open := func(m node.Memo) llm.VectorStore {
		t.Helper()
		d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": "docs"},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir, Memo: m})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst.(llm.VectorStore)
	}
	// Enough rows for the quantized path, with a few labelled ones.
	r := rand.New(rand.NewPCG(3, 4))
	var docs []llm.Document
	var ids []string
	words := []string{"cats", "dogs", "stocks", "bonds", "rain", "wind", "purr", "bark", "yields", "coast"}
	for i := range 3000 {
		text := fmt.Sprintf("%s %s %s note%d", words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))], i)
		docs = append(docs, llm.Document{PageContent: text, Metadata: map[string]any{"n": i, "even": i%2 == 0}})
		ids = append(ids, fmt.Sprintf("id-%d", i))
	}
	m1 := &memo{}
	s1 := open(m1)
	// Search first so the index is loaded and then updated in place.
	if _, err := s1.SimilaritySearch(t.Context(), "cats", 4, nil); err != nil {
		t.Fatalf("SimilaritySearch: %v", err)
	}
	for lo := 0; lo < len(docs); lo += 512 {
		hi := min(lo+512, len(docs))
		if _, err := s1.AddDocuments(t.Context(), docs[lo:hi], ids[lo:hi]); err != nil {
			t.Fatalf("AddDocuments: %v", err)
		}
	}
	if err := s1.Delete(t.Context(), []string{"id-5", "id-6"}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	type query struct {
		text string
		k    int
		f    llm.Filter
	}
	queries := []query{{"cats purr", 4, nil}, {"stocks bonds yields", 10, nil}, {"rain coast", 4, llm.Filter{"even": true}}, {"note7", 2, nil}}
	run := func(s llm.VectorStore) [][]llm.ScoredDocument {
		t.Helper()
		var out [][]llm.ScoredDocument
		for _, q := range queries {
			hits, err := s.SimilaritySearch(t.Context(), q.text, q.k, q.f)
			if err != nil {
				t.Fatalf("SimilaritySearch: %v", err)
			}
			if len(hits) != q.k {
				t.Errorf("%q: got %d hits, want %d", q.text, len(hits), q.k)
			}
			out = append(out, hits)
		}
		return out
	}
	before := run(s1)
	if err := s1.(interface{ Close(context.Context) error }).Close(t.Context()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	m1.closeDBs(t)
	after := run(open(&memo{}))
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("results after reopening (-before +after):\n%s", diff)
	}
}

// closeDBs closes the database handles m shares, as the server does at exit.
func (m *memo) closeDBs(t *testing.T) {
	m.m.Range(func(_, v any) bool {
		if db, ok := v.(*sqliteDB); ok && db.db != nil {
			if err := db.db.Close(); err != nil {
				t.Errorf("closing the database: %v", err)
			}
		}
		return true
	})
}

// fixedEmbedder returns precomputed vectors in turn, so benchmarks measure
// the store rather than an embedder.
type fixedEmbedder struct {
	vecs [][]float32
	next int
}

func (e *fixedEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = e.vecs[e.next%len(e.vecs)]
		e.next++
	}
	return out, nil
}

func BenchmarkEmbeddedAdd(b *testing.B) {
	const dim, batch = 1536, 512
	r := rand.New(rand.NewPCG(5, 6))
	emb := &fixedEmbedder{vecs: gaussianVecs(r, batch, dim)}
	d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": "bench"},
		Outputs: map[string]any{"output": "vectorStore"}}
	inst, err := embeddedVectorStore.Init(b.Context(), d, &node.Runtime{DataDir: b.TempDir(), Memo: &memo{}})
	if err != nil {
		b.Fatalf("Init: %v", err)
	}
	s := inst.(llm.VectorStore)
	docs := make([]llm.Document, batch)
	ids := make([]string, batch)
	n := 0
	b.ResetTimer()
	for b.Loop() {
		for i := range docs {
			docs[i] = llm.Document{PageContent: fmt.Sprintf("chunk %d of a document about something", n), Metadata: map[string]any{"source": "bench.txt", "loc": n}}
			ids[i] = fmt.Sprintf("id-%d", n)
			n++
		}
		if _, err := s.AddDocuments(b.Context(), docs, ids); err != nil {
			b.Fatalf("AddDocuments: %v", err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "vectors/s")
}

func BenchmarkEmbeddedSearch(b *testing.B) {
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
		}
		if err := idx.upsert(ids, docs, vecs); err != nil {
			b.Fatalf("upsert: %v", err)
		}
	}
	queries := gaussianVecs(r, 1000, dim)
	lat := make([]time.Duration, 0, len(queries))
	for _, q := range queries {
		start := time.Now()
		if _, err := idx.search(q, k, nil, false); err != nil {
			b.Fatalf("search: %v", err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := idx.search(queries[i%len(queries)], k, nil, false); err != nil {
			b.Fatalf("search: %v", err)
		}
		i++
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

func BenchmarkEmbeddedAddBulk(b *testing.B) {
	const dim, batch = 1536, 50_000
	r := rand.New(rand.NewPCG(5, 6))
	emb := &fixedEmbedder{vecs: gaussianVecs(r, 512, dim)}
	d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": "bench"},
		Outputs: map[string]any{"output": "vectorStore"}}
	inst, err := embeddedVectorStore.Init(b.Context(), d, &node.Runtime{DataDir: b.TempDir(), Memo: &memo{}})
	if err != nil {
		b.Fatalf("Init: %v", err)
	}
	s := inst.(llm.VectorStore)
	docs := make([]llm.Document, batch)
	ids := make([]string, batch)
	n := 0
	for b.Loop() {
		for i := range docs {
			docs[i] = llm.Document{PageContent: fmt.Sprintf("chunk %d of a document about something", n), Metadata: map[string]any{"source": "bench.txt", "loc": n}}
			ids[i] = fmt.Sprintf("id-%d", n)
			n++
		}
		if _, err := s.AddDocuments(b.Context(), docs, ids); err != nil {
			b.Fatalf("AddDocuments: %v", err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "vectors/s")
}

func TestDot32MatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 100, 1536, 3072 + 5} {
		a, b := make([]float32, n), make([]float32, n+3)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		got, want := dot32(a, b), dotGo(a, b)
		if d := math.Abs(float64(got - want)); d > 1e-4*math.Max(1, math.Abs(float64(want))) {
			t.Errorf("n=%d: dot32 = %v, dotGo = %v", n, got, want)
		}
	}
}

func BenchmarkDot32(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	x, y := gaussianVecs(r, 1, 1536)[0], gaussianVecs(r, 1, 1536)[0]
	b.Run("dot32", func(b *testing.B) {
		for b.Loop() {
			dot32(x, y)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			dotGo(x, y)
		}
	})
}

// failingEmbedder fails its failAt-th call (1-based).
type failingEmbedder struct {
	inner  llm.Embedder
	calls  int
	failAt int
}

func (e *failingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.calls++
	if e.calls == e.failAt {
		return nil, fmt.Errorf("embedding service unavailable")
	}
	return e.inner.Embed(ctx, texts)
}

// An upsert larger than one embedding chunk is still all or nothing: an
// embedding failure on a later chunk leaves the collection as it was, on
// disk and in a loaded index.
func TestEmbeddedAddDocumentsAtomic(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	dir := t.TempDir()
	open := func(emb llm.Embedder) llm.VectorStore {
		t.Helper()
		d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": "atomic"},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir})
		if err != nil {
			t.Fatalf("Init: %v", err)
		}
		return inst.(llm.VectorStore)
	}
	base := &fixedEmbedder{vecs: gaussianVecs(r, 64, 32)}
	s := open(base)
	if _, err := s.AddDocuments(t.Context(), []llm.Document{{PageContent: "kept"}}, []string{"kept"}); err != nil {
		t.Fatalf("AddDocuments: %v", err)
	}
	if _, err := s.SimilaritySearch(t.Context(), "q", 1, nil); err != nil { // loads the index
		t.Fatalf("SimilaritySearch: %v", err)
	}
	n := 2*upsertChunk + 10
	docs := make([]llm.Document, n)
	ids := make([]string, n)
	for i := range docs {
		docs[i] = llm.Document{PageContent: fmt.Sprint("doc ", i)}
		ids[i] = fmt.Sprint("id-", i)
	}
	for _, failAt := range []int{2, 3} {
		fe := &failingEmbedder{inner: base, failAt: failAt}
		s := open(fe)
		if _, err := s.AddDocuments(t.Context(), docs, ids); err == nil || !strings.Contains(err.Error(), "embedding service unavailable") {
			t.Fatalf("failAt %d: AddDocuments err = %v, want the embedding error", failAt, err)
		}
		hits, err := open(base).SimilaritySearch(t.Context(), "q", 10, nil)
		if err != nil {
			t.Fatalf("SimilaritySearch: %v", err)
		}
		if len(hits) != 1 || hits[0].PageContent != "kept" {
			t.Errorf("failAt %d: after a failed upsert the collection holds %d documents, want only the first one", failAt, len(hits))
		}
	}
	// A cancelled upsert writes nothing either.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.AddDocuments(ctx, docs, ids); err == nil {
		t.Fatalf("AddDocuments with a cancelled context succeeded")
	}
	hits, err := s.SimilaritySearch(t.Context(), "q", 10, nil)
	if err != nil || len(hits) != 1 {
		t.Errorf("after a cancelled upsert: %d hits, err %v; want 1", len(hits), err)
	}
}

// rssAnonKB reads the process's anonymous resident memory (Linux).
func rssAnonKB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "RssAnon:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	t.Skip("no RssAnon in /proc/self/status")
	return 0
}

// Many small upserts, each through a fresh node instance as the Vector
// Upsert API makes them, must not grow the process beyond SQLite's
// bounded page cache (a rollback journal with 64 KiB pages leaked
// ~140 KB per upsert inside SQLite).
func TestEmbeddedSmallUpsertsKeepMemoryFlat(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory makes RSS figures meaningless")
	}
	r := rand.New(rand.NewPCG(5, 6))
	emb := &fixedEmbedder{vecs: gaussianVecs(r, 64, 1536)}
	m := &memo{}
	dir := t.TempDir()
	upsert := func(i int) {
		d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": "flat"},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir, Memo: m})
		if err != nil {
			t.Fatal(err)
		}
		docs := make([]llm.Document, 20)
		ids := make([]string, 20)
		for j := range docs {
			docs[j] = llm.Document{PageContent: "chunk", Metadata: map[string]any{"source": "a.txt"}}
			ids[j] = fmt.Sprint(i, "-", j)
		}
		if _, err := inst.(llm.VectorStore).AddDocuments(t.Context(), docs, ids); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 300 {
		upsert(i)
	}
	before := rssAnonKB(t)
	for i := 300; i < 1500; i++ {
		upsert(i)
	}
	if grew := rssAnonKB(t) - before; grew > 80<<10 {
		t.Errorf("1,200 small upserts grew anonymous memory by %d MB, want < 80 MB", grew>>10)
	}
}

// blockingEmbedder waits for release before answering its second call.
type blockingEmbedder struct {
	inner   llm.Embedder
	calls   atomic.Int32
	started chan struct{}
	release chan struct{}
}

func (e *blockingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if e.calls.Add(1) == 2 {
		close(e.started)
		select {
		case <-e.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return e.inner.Embed(ctx, texts)
}

// A large upsert holds its collection's write transaction while it embeds;
// an upsert into another collection meanwhile is not kept waiting.
func TestEmbeddedCollectionsDoNotBlockEachOther(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	base := &fixedEmbedder{vecs: gaussianVecs(r, 64, 16)}
	dir, m := t.TempDir(), &memo{}
	open := func(collection string, emb llm.Embedder) llm.VectorStore {
		d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": collection},
			Outputs: map[string]any{"output": "vectorStore"}}
		inst, err := embeddedVectorStore.Init(t.Context(), d, &node.Runtime{DataDir: dir, Memo: m})
		if err != nil {
			t.Fatal(err)
		}
		return inst.(llm.VectorStore)
	}
	slow := &blockingEmbedder{inner: base, started: make(chan struct{}), release: make(chan struct{})}
	n := upsertChunk + 10
	docs, ids := make([]llm.Document, n), make([]string, n)
	for i := range docs {
		docs[i], ids[i] = llm.Document{PageContent: fmt.Sprint("d", i)}, fmt.Sprint("id", i)
	}
	done := make(chan error, 1)
	go func() {
		_, err := open("big", slow).AddDocuments(t.Context(), docs, ids)
		done <- err
	}()
	<-slow.started // the big upsert is inside its transaction, embedding chunk 2
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if _, err := open("other", base).AddDocuments(ctx, docs[:3], ids[:3]); err != nil {
		t.Errorf("an upsert into another collection during a long upsert: %v", err)
	}
	close(slow.release)
	if err := <-done; err != nil {
		t.Fatalf("the long upsert: %v", err)
	}
}

// slowEmbedder, on its first call, cancels the upsert and then takes a
// while to answer.
type slowEmbedder struct {
	inner   llm.Embedder
	cancel  context.CancelFunc
	started chan struct{}
	active  atomic.Int32
	once    sync.Once
}

func (e *slowEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.active.Add(1)
	defer e.active.Add(-1)
	e.once.Do(func() { e.cancel(); close(e.started) })
	time.Sleep(30 * time.Millisecond)
	return e.inner.Embed(ctx, texts)
}

// AddDocuments never returns while its embedding goroutine still calls
// the embedding service, even when the write side fails first (here: the
// transaction cannot begin because the request was cancelled while the
// first chunk was being embedded).
func TestEmbeddedAddDocumentsLeavesNoEmbedderRunning(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	ctx, cancel := context.WithCancel(t.Context())
	emb := &slowEmbedder{inner: &fixedEmbedder{vecs: gaussianVecs(r, 8, 16)}, cancel: cancel, started: make(chan struct{})}
	dir, m := t.TempDir(), &memo{}
	d := &node.Data{ID: "embeddedVectorStore_0", Inputs: map[string]any{"embeddings": emb, "collectionName": "noleak"},
		Outputs: map[string]any{"output": "vectorStore"}}
	rt := &node.Runtime{DataDir: dir, Memo: m}
	inst, err := embeddedVectorStore.Init(t.Context(), d, rt)
	if err != nil {
		t.Fatal(err)
	}
	// Hold the collection's writer lock until the embedder has started and
	// cancelled, so the write side fails while the embedder still runs.
	idx, err := embeddedIndex(rt, filepath.Join(dir, embeddedDir, collectionFile("noleak")), "noleak")
	if err != nil {
		t.Fatal(err)
	}
	idx.writeMu.Lock()
	go func() { <-emb.started; idx.writeMu.Unlock() }()
	if _, err := inst.(llm.VectorStore).AddDocuments(ctx, []llm.Document{{PageContent: "a"}}, []string{"a"}); err == nil {
		t.Fatal("AddDocuments of a cancelled request succeeded")
	}
	if n := emb.active.Load(); n != 0 {
		t.Errorf("%d embedding calls still running after AddDocuments returned", n)
	}
}
