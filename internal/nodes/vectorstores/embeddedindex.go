package vectorstores

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/floehq/floe/internal/llm"
)

const (
	// exactMaxRows is the collection size up to which searches scan every
	// vector exactly instead of prefiltering by binary codes.
	exactMaxRows = 2000
	// A search reranks exactly the max(candidatesPerK·k, minCandidates)
	// rows nearest by binary code. Top-4 recall over 20,000 random Gaussian
	// 1536-dimension vectors (the hardest case: near-isotropic data) is
	// 0.54 with 200 candidates, 0.92 with 2,000 and 0.97 with 4,000;
	// sparse bag-of-words-like vectors reach 0.96 with 500. Reranking 4,000
	// rows of 1536 dimensions takes about 2 ms on 2 cores.
	minCandidates  = 4000
	candidatesPerK = 10
	// parallelWork is the work (rows × words or floats per row) from which
	// a scan splits over runtime.GOMAXPROCS goroutines: about 0.2 ms.
	parallelWork = 1 << 19
)

// vecIndex is the in-memory search index of one embedded store collection:
// every row's document, its L2-normalised vector (so cosine is a dot
// product) and a binary code (one bit per dimension: the sign of the value
// minus the collection's mean vector) for a Hamming-distance prefilter.
// It mirrors the collection's SQLite rows once loaded and is safe for
// concurrent use.
type vecIndex struct {
	// writeMu serialises loading and writers, so the SQLite rows and the
	// index change in the same order.
	writeMu sync.Mutex
	loaded  atomic.Bool

	mu    sync.RWMutex // guards the fields below
	dim   int          // vector dimension, 0 while empty
	words int          // uint64 words per code
	ids   []string
	docs  []llm.Document
	vecs  []float32 // len(ids)*dim, normalised
	codes []uint64  // len(ids)*words
	pos   map[string]int
	mean  []float32 // the code's centre
	meanN int       // the row count when mean was computed
	// candidates overrides the reranked candidate count when positive
	// (tests).
	candidates int
}

func newVecIndex() *vecIndex { return &vecIndex{pos: map[string]int{}} }

// normalize returns v scaled to unit length (a zero vector stays zero).
func normalize(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if n == 0 {
		return out
	}
	inv := 1 / math.Sqrt(n)
	for i, x := range v {
		out[i] = float32(float64(x) * inv)
	}
	return out
}

// dotGo returns the dot product of a and b (len(b) ≥ len(a)), in Go.
func dotGo(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= len(a); i += 8 {
		aa, bb := a[i:i+8:i+8], b[i:i+8:i+8]
		s0 += aa[0] * bb[0]
		s1 += aa[1] * bb[1]
		s2 += aa[2] * bb[2]
		s3 += aa[3] * bb[3]
		s4 += aa[4] * bb[4]
		s5 += aa[5] * bb[5]
		s6 += aa[6] * bb[6]
		s7 += aa[7] * bb[7]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// encode writes v's binary code relative to mean into code.
func encode(code []uint64, v, mean []float32) {
	clear(code)
	for i, x := range v {
		if x > mean[i] {
			code[i>>6] |= 1 << (uint(i) & 63)
		}
	}
}

// hamming returns the number of differing bits of a and b.
func hamming(a, b []uint64) int {
	b = b[:len(a)]
	n := 0
	for i := range a {
		n += bits.OnesCount64(a[i] ^ b[i])
	}
	return n
}

// vec returns row i's vector. The caller holds mu.
func (x *vecIndex) vec(i int) []float32 { return x.vecs[i*x.dim : (i+1)*x.dim : (i+1)*x.dim] }

func (x *vecIndex) code(i int) []uint64 {
	return x.codes[i*x.words : (i+1)*x.words : (i+1)*x.words]
}

// len returns the number of rows.
func (x *vecIndex) len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// upsert stores rows, replacing those with the same ids. All vectors have
// the index's dimension (or set it while empty); the caller checked.
func (x *vecIndex) upsert(ids []string, docs []llm.Document, vecs [][]float32) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(vecs) == 0 {
		return nil
	}
	if x.dim == 0 {
		x.dim, x.words = len(vecs[0]), (len(vecs[0])+63)/64
		x.mean = make([]float32, x.dim)
	}
	for i, v := range vecs {
		if len(v) != x.dim {
			return fmt.Errorf("vector %d has dimension %d but the collection holds dimension %d", i, len(v), x.dim)
		}
	}
	for i, id := range ids {
		v := normalize(vecs[i])
		if p, ok := x.pos[id]; ok {
			copy(x.vec(p), v)
			encode(x.code(p), v, x.mean)
			x.docs[p] = docs[i]
			continue
		}
		x.pos[id] = len(x.ids)
		x.ids = append(x.ids, id)
		x.docs = append(x.docs, docs[i])
		x.vecs = append(x.vecs, v...)
		x.codes = append(x.codes, make([]uint64, x.words)...)
		encode(x.code(len(x.ids)-1), v, x.mean)
	}
	if len(x.ids) >= 2*x.meanN {
		x.recenter()
	}
	return nil
}

// recenter recomputes the mean vector and every code. The caller holds mu.
func (x *vecIndex) recenter() {
	n := len(x.ids)
	sum := make([]float64, x.dim)
	for i := range n {
		for j, v := range x.vec(i) {
			sum[j] += float64(v)
		}
	}
	for j := range sum {
		x.mean[j] = float32(sum[j] / float64(max(n, 1)))
	}
	x.parallel(n, x.dim, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			encode(x.code(i), x.vec(i), x.mean)
		}
	})
	x.meanN = n
}

// delete removes the rows with the given ids, keeping the others in
// insertion order.
func (x *vecIndex) delete(ids []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	first := len(x.ids)
	for _, id := range ids {
		if p, ok := x.pos[id]; ok {
			delete(x.pos, id)
			first = min(first, p)
		}
	}
	if first == len(x.ids) {
		return
	}
	w := first
	for r := first; r < len(x.ids); r++ {
		id := x.ids[r]
		if _, ok := x.pos[id]; !ok {
			continue
		}
		x.pos[id] = w
		x.ids[w], x.docs[w] = id, x.docs[r]
		copy(x.vecs[w*x.dim:(w+1)*x.dim], x.vec(r))
		copy(x.codes[w*x.words:(w+1)*x.words], x.code(r))
		w++
	}
	clear(x.ids[w:])
	clear(x.docs[w:])
	x.ids, x.docs = x.ids[:w], x.docs[:w]
	x.vecs, x.codes = x.vecs[:w*x.dim], x.codes[:w*x.words]
	if w == 0 {
		x.dim, x.words, x.vecs, x.codes, x.mean, x.meanN = 0, 0, nil, nil, nil, 0
	}
}

// parallel runs fn over [0, n) split into runtime.GOMAXPROCS parts when
// the work, n rows of rowCost each, is large, in the calling goroutine
// otherwise.
func (x *vecIndex) parallel(n, rowCost int, fn func(lo, hi int)) {
	parts := runtime.GOMAXPROCS(0)
	if n*rowCost < parallelWork || parts < 2 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + parts - 1) / parts
	for lo := 0; lo < n; lo += step {
		wg.Go(func() { fn(lo, min(lo+step, n)) })
	}
	wg.Wait()
}

// scored is a row and its cosine similarity to the query.
type scored struct {
	row   int
	score float32
}

// better orders by score, then by insertion order.
func better(a, b scored) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(a.row, b.row)
}

// search returns the k rows closest to q that match f, best first, with
// copies of their normalised vectors when withVectors is set.
func (x *vecIndex) search(q []float32, k int, f llm.Filter, withVectors bool) ([]hit, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.ids)
	if n == 0 || k <= 0 {
		return nil, nil
	}
	if len(q) != x.dim {
		return nil, fmt.Errorf("the query vector has dimension %d but the collection holds dimension %d: were the embeddings changed since the upsert?", len(q), x.dim)
	}
	q = normalize(q)
	var best []scored
	switch {
	case len(f) > 0:
		// Only the matching rows are candidates; past exactMaxRows of them
		// (a File Upload chat scope matches every shared row) they are
		// prefiltered by binary code as a whole collection is.
		rows := x.matching(f)
		c := cmp.Or(x.candidates, max(candidatesPerK*k, minCandidates))
		if len(rows) > exactMaxRows && c < len(rows) && x.dim <= math.MaxUint16 {
			rows = x.prefilterRows(q, c, rows)
		}
		best = x.rerank(q, rows, k)
	case n <= exactMaxRows || x.dim > math.MaxUint16:
		best = x.rerank(q, nil, k)
	default:
		c := cmp.Or(x.candidates, max(candidatesPerK*k, minCandidates))
		if c >= n {
			best = x.rerank(q, nil, k)
		} else {
			best = x.rerank(q, x.prefilter(q, c), k)
		}
	}
	out := make([]hit, len(best))
	for i, s := range best {
		d := x.docs[s.row]
		d.Metadata = maps.Clone(d.Metadata)
		out[i] = hit{ScoredDocument: llm.ScoredDocument{Document: d, Score: float64(s.score)}}
		if withVectors {
			out[i].vec = slices.Clone(x.vec(s.row))
		}
	}
	return out, nil
}

// distPool recycles the per-search Hamming distance arrays (2 bytes per
// row): allocating one per query made garbage that large collections'
// searches paid for in GC assists.
var distPool = sync.Pool{New: func() any { return new([]uint16) }}

// matchRowCost is the work of matching one row's metadata against a
// filter, in the units of parallelWork (about a code word's Hamming
// distance).
const matchRowCost = 64

// matching returns the rows whose metadata matches f, in row order, never
// nil. The caller holds mu.
func (x *vecIndex) matching(f llm.Filter) []int {
	n := len(x.ids)
	terms := newFilterTerms(f)
	ok := make([]bool, n)
	x.parallel(n, matchRowCost, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ok[i] = terms.matches(x.docs[i].Metadata)
		}
	})
	rows := []int{}
	for i, m := range ok {
		if m {
			rows = append(rows, i)
		}
	}
	return rows
}

// prefilter returns the c rows (in row order) whose codes are nearest to
// q's by Hamming distance, ties broken by row order. The caller holds mu.
func (x *vecIndex) prefilter(q []float32, c int) []int {
	n := len(x.ids)
	qc := make([]uint64, x.words)
	encode(qc, q, x.mean)
	buf := distPool.Get().(*[]uint16)
	defer distPool.Put(buf)
	if cap(*buf) < n {
		*buf = make([]uint16, n)
	}
	dist := (*buf)[:n]
	var hmu sync.Mutex
	hist := make([]int, x.dim+1)
	x.parallel(n, x.words, func(lo, hi int) {
		local := make([]int, x.dim+1)
		codes := x.codes[lo*x.words : hi*x.words]
		w := x.words
		for i := lo; i < hi; i++ {
			d := hamming(qc, codes[(i-lo)*w:(i-lo+1)*w])
			dist[i] = uint16(d)
			local[d]++
		}
		hmu.Lock()
		for d, m := range local {
			hist[d] += m
		}
		hmu.Unlock()
	})
	return pickNearest(dist, hist, c, nil)
}

// pickNearest returns the c entries with the smallest distances, in
// order, ties broken by order: the rows they stand for (rows[i], or i when
// rows is nil). hist counts the entries per distance.
func pickNearest(dist []uint16, hist []int, c int, rows []int) []int {
	// Entries under the threshold are all taken; those at it fill up to c.
	threshold, below := 0, 0
	for threshold < len(hist) && below+hist[threshold] < c {
		below += hist[threshold]
		threshold++
	}
	atThreshold := c - below
	picked := make([]int, 0, c)
	for i, d := range dist {
		r := i
		if rows != nil {
			r = rows[i]
		}
		switch {
		case int(d) < threshold:
			picked = append(picked, r)
		case int(d) == threshold && atThreshold > 0:
			picked = append(picked, r)
			atThreshold--
		}
	}
	return picked
}

// prefilterRows is prefilter among rows only: the c of them whose codes
// are nearest to q's, in row order. It is apart from prefilter, whose scan
// of the whole collection is the unfiltered search's hot loop. The caller
// holds mu.
func (x *vecIndex) prefilterRows(q []float32, c int, rows []int) []int {
	qc := make([]uint64, x.words)
	encode(qc, q, x.mean)
	buf := distPool.Get().(*[]uint16)
	defer distPool.Put(buf)
	if cap(*buf) < len(rows) {
		*buf = make([]uint16, len(rows))
	}
	dist := (*buf)[:len(rows)]
	var hmu sync.Mutex
	hist := make([]int, x.dim+1)
	x.parallel(len(rows), x.words, func(lo, hi int) {
		local := make([]int, x.dim+1)
		for i := lo; i < hi; i++ {
			d := hamming(qc, x.code(rows[i]))
			dist[i] = uint16(d)
			local[d]++
		}
		hmu.Lock()
		for d, m := range local {
			hist[d] += m
		}
		hmu.Unlock()
	})
	return pickNearest(dist, hist, c, rows)
}

// rerank scores rows (every row when nil) exactly against the normalised
// query and returns the best k. The caller holds mu.
func (x *vecIndex) rerank(q []float32, rows []int, k int) []scored {
	all := rows == nil
	m := len(rows)
	if all {
		m = len(x.ids)
	}
	scores := make([]scored, m)
	// Reranking reads m whole vectors (6 KiB each at 1536 dimensions), so
	// it splits over the cores from far fewer rows than a code scan.
	x.parallel(m, x.dim, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := i
			if !all {
				r = rows[i]
			}
			scores[i] = scored{row: r, score: dot32(q, x.vec(r))}
		}
	})
	return topK(scores, k)
}

// topK returns the k best of s, best first (s is reordered).
func topK(s []scored, k int) []scored {
	if len(s) > 4*k && k > 0 {
		// Keep a sorted window of the best k seen.
		best := make([]scored, 0, k+1)
		for _, c := range s {
			if len(best) == k && better(c, best[k-1]) >= 0 {
				continue
			}
			i, _ := slices.BinarySearchFunc(best, c, better)
			best = slices.Insert(best, i, c)
			if len(best) > k {
				best = best[:k]
			}
		}
		return best
	}
	slices.SortFunc(s, better)
	return s[:min(k, len(s))]
}
