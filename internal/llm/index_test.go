package llm

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeStore is a map-backed VectorStore recording its contents by id.
type fakeStore struct {
	mu   sync.Mutex // guards docs
	docs map[string]string
}

func (s *fakeStore) AddDocuments(_ context.Context, docs []Document, ids []string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, d := range docs {
		s.docs[ids[i]] = d.PageContent
	}
	return ids, nil
}

func (s *fakeStore) SimilaritySearch(context.Context, string, int, Filter) ([]ScoredDocument, error) {
	return nil, nil
}

func (s *fakeStore) Delete(_ context.Context, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.docs, id)
	}
	return nil
}

func (s *fakeStore) contents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Values(s.docs))
}

type record struct {
	group string
	at    time.Time
}

// fakeRecords is a RecordManager over a map, namespaced, with a clock that
// advances a millisecond per reading.
type fakeRecords struct {
	ns   string
	mu   *sync.Mutex // guards recs and now
	recs map[string]map[string]record
	now  *time.Time
}

func newFakeRecords() *fakeRecords {
	now := time.Unix(1_700_000_000, 0)
	return &fakeRecords{ns: "flow", mu: &sync.Mutex{}, recs: map[string]map[string]record{}, now: &now}
}

func (r *fakeRecords) Scoped(name string) RecordManager {
	c := *r
	c.ns = r.ns + "_" + name
	return &c
}

func (r *fakeRecords) Now(context.Context) (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.now = r.now.Add(time.Millisecond)
	return *r.now, nil
}

func (r *fakeRecords) Update(_ context.Context, keys, groups []string, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.recs[r.ns] == nil {
		r.recs[r.ns] = map[string]record{}
	}
	for i, k := range keys {
		rec := r.recs[r.ns][k]
		rec.at = at
		if groups != nil {
			rec.group = groups[i]
		}
		r.recs[r.ns][k] = rec
	}
	return nil
}

func (r *fakeRecords) Exists(_ context.Context, keys []string) ([]bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		_, out[i] = r.recs[r.ns][k]
	}
	return out, nil
}

func (r *fakeRecords) ListKeys(_ context.Context, before time.Time, groups []string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for k, rec := range r.recs[r.ns] {
		if (before.IsZero() || rec.at.Before(before)) && (groups == nil || slices.Contains(groups, rec.group)) {
			out = append(out, k)
		}
	}
	return out, nil
}

func (r *fakeRecords) DeleteKeys(_ context.Context, keys []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		delete(r.recs[r.ns], k)
	}
	return nil
}

func doc(text, source string) Document {
	return Document{PageContent: text, Metadata: map[string]any{"source": source}}
}

// counts is an UpsertResult without the added documents.
type counts struct{ Added, Deleted, Updated, Skipped int }

func TestIndex(t *testing.T) {
	a1, a2, b1 := doc("alpha one", "a.txt"), doc("alpha two", "a.txt"), doc("beta one", "b.txt")
	a2changed := doc("alpha two, revised", "a.txt")
	type run struct {
		docs      []Document
		opts      IndexOptions
		want      counts
		wantStore []string
	}
	tests := []struct {
		name string
		runs []run
	}{
		{name: "first upsert adds every document", runs: []run{
			{docs: []Document{a1, a2, b1}, want: counts{Added: 3}, wantStore: []string{"alpha one", "alpha two", "beta one"}},
		}},
		{name: "same documents again are skipped", runs: []run{
			{docs: []Document{a1, a2, b1}, want: counts{Added: 3}},
			{docs: []Document{a1, a2, b1}, want: counts{Skipped: 3}, wantStore: []string{"alpha one", "alpha two", "beta one"}},
		}},
		{name: "incremental replaces a changed paragraph", runs: []run{
			{docs: []Document{a1, a2, b1}, opts: IndexOptions{Cleanup: CleanupIncremental}, want: counts{Added: 3}},
			{docs: []Document{a1, a2changed, b1}, opts: IndexOptions{Cleanup: CleanupIncremental},
				want: counts{Added: 1, Deleted: 1, Skipped: 2}, wantStore: []string{"alpha one", "alpha two, revised", "beta one"}},
		}},
		{name: "incremental keeps sources it did not see", runs: []run{
			{docs: []Document{a1, a2, b1}, opts: IndexOptions{Cleanup: CleanupIncremental}, want: counts{Added: 3}},
			{docs: []Document{a1}, opts: IndexOptions{Cleanup: CleanupIncremental},
				want: counts{Deleted: 1, Skipped: 1}, wantStore: []string{"alpha one", "beta one"}},
		}},
		{name: "full cleanup deletes a removed document", runs: []run{
			{docs: []Document{a1, a2, b1}, opts: IndexOptions{Cleanup: CleanupFull}, want: counts{Added: 3}},
			{docs: []Document{a1, a2}, opts: IndexOptions{Cleanup: CleanupFull},
				want: counts{Deleted: 1, Skipped: 2}, wantStore: []string{"alpha one", "alpha two"}},
		}},
		{name: "no cleanup keeps the old version", runs: []run{
			{docs: []Document{a1, a2, b1}, opts: IndexOptions{Cleanup: CleanupNone}, want: counts{Added: 3}},
			{docs: []Document{a1, a2changed, b1}, want: counts{Added: 1, Skipped: 2},
				wantStore: []string{"alpha one", "alpha two", "alpha two, revised", "beta one"}},
		}},
		{name: "duplicates within a batch are written once", runs: []run{
			{docs: []Document{a1, a1, b1}, want: counts{Added: 2}, wantStore: []string{"alpha one", "beta one"}},
		}},
		{name: "batches of one count the same", runs: []run{
			{docs: []Document{a1, a2, b1}, opts: IndexOptions{Cleanup: CleanupIncremental, BatchSize: 1}, want: counts{Added: 3}},
			{docs: []Document{a1, a2changed, b1}, opts: IndexOptions{Cleanup: CleanupIncremental, BatchSize: 1},
				want: counts{Added: 1, Deleted: 1, Skipped: 2}, wantStore: []string{"alpha one", "alpha two, revised", "beta one"}},
		}},
		{name: "a custom source key groups documents", runs: []run{
			{docs: []Document{{PageContent: "x", Metadata: map[string]any{"file": "f"}}}, opts: IndexOptions{Cleanup: CleanupIncremental, SourceIDKey: "file"}, want: counts{Added: 1}},
			{docs: []Document{{PageContent: "y", Metadata: map[string]any{"file": "f"}}}, opts: IndexOptions{Cleanup: CleanupIncremental, SourceIDKey: "file"},
				want: counts{Added: 1, Deleted: 1}, wantStore: []string{"y"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs, rm := &fakeStore{docs: map[string]string{}}, newFakeRecords()
			for i, r := range tc.runs {
				got, err := Index(t.Context(), r.docs, vs, rm, r.opts)
				if err != nil {
					t.Fatalf("run %d: Index: %v", i, err)
				}
				if diff := cmp.Diff(r.want, counts{got.NumAdded, got.NumDeleted, got.NumUpdated, got.NumSkipped}); diff != "" {
					t.Errorf("run %d: counts (-want +got):\n%s", i, diff)
				}
				if len(got.AddedDocs) != got.NumAdded {
					t.Errorf("run %d: %d added docs, want %d", i, len(got.AddedDocs), got.NumAdded)
				}
				if r.wantStore != nil {
					if diff := cmp.Diff(r.wantStore, vs.contents()); diff != "" {
						t.Errorf("run %d: store contents (-want +got):\n%s", i, diff)
					}
				}
			}
		})
	}
}

func TestIndexErrors(t *testing.T) {
	tests := []struct {
		name string
		docs []Document
		opts IndexOptions
	}{
		{name: "unknown cleanup", docs: []Document{doc("x", "a")}, opts: IndexOptions{Cleanup: "sometimes"}},
		{name: "incremental without source", docs: []Document{{PageContent: "x"}}, opts: IndexOptions{Cleanup: CleanupIncremental}},
		{name: "reserved metadata key", docs: []Document{{PageContent: "x", Metadata: map[string]any{"hash_": "1"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs := &fakeStore{docs: map[string]string{}}
			if _, err := Index(t.Context(), tc.docs, vs, newFakeRecords(), tc.opts); err == nil {
				t.Errorf("Index succeeded, want an error")
			}
			if len(vs.docs) != 0 {
				t.Errorf("store has %d documents after a failed index, want 0", len(vs.docs))
			}
		})
	}
}

func TestIndexScopesNamespace(t *testing.T) {
	vs, rm := &fakeStore{docs: map[string]string{}}, newFakeRecords()
	if _, err := Index(t.Context(), []Document{doc("x", "a")}, vs, rm, IndexOptions{VectorStoreName: "coll"}); err != nil {
		t.Fatalf("Index: %v", err)
	}
	if got := slices.Sorted(maps.Keys(rm.recs)); !slices.Equal(got, []string{"flow_coll"}) {
		t.Errorf("namespaces written = %v, want [flow_coll]", got)
	}
}

// The keys below were computed by LangChain JS's algorithm
// (_HashedDocument: sha256, uuid v5, JSON.stringify with sorted keys) under
// Node.js, so records are interchangeable with Flowise's.
func TestDocumentKeyMatchesLangChain(t *testing.T) {
	tests := []struct {
		name string
		doc  Document
		want string
	}{
		{name: "no metadata", doc: Document{PageContent: "hello world"}, want: "25305e16-d616-598b-baa7-1bccb8a92f3c"},
		{name: "empty metadata", doc: Document{PageContent: "hello world", Metadata: map[string]any{}}, want: "25305e16-d616-598b-baa7-1bccb8a92f3c"},
		{name: "source", doc: doc("hello world", "a.txt"), want: "330a1cd6-1966-5d8e-89cf-b2de4696870b"},
		{name: "escapes and numbers", doc: Document{
			PageContent: "Ünïcødé ✓ 😀 \"quoted\" \\ back\nnew\ttab\u0001",
			Metadata:    map[string]any{"source": "b.txt", "page": 3, "score": 0.1, "big": 1e21, "small": 1.5e-7, "neg": -2.5, "flag": true, "none": nil},
		}, want: "f938e3e8-f324-5fe5-b9a3-aae3510c37dd"},
		{name: "nested objects keep only top-level keys", doc: Document{
			PageContent: "chunk",
			Metadata: map[string]any{"source": "c.md", "loc": map[string]any{"lines": map[string]any{"from": 1, "to": 5}},
				"tags": []any{"x", map[string]any{"source": "y", "other": 1}}, "zeta": "z", "Alpha": "A"},
		}, want: "7e4a2dc0-8631-57f8-be18-bf37aec091d8"},
		{name: "html and line separators are not escaped", doc: Document{
			Metadata: map[string]any{"html": "<b>&</b>", "line": "\u2028"},
		}, want: "b2e53fad-afcc-5f08-9e11-9a3346385383"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DocumentKey(tc.doc)
			if err != nil {
				t.Fatalf("DocumentKey: %v", err)
			}
			if got != tc.want {
				t.Errorf("DocumentKey = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestJSNumber(t *testing.T) {
	// Expected strings are Node.js's String(n).
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-1, "-1"}, {0.1, "0.1"}, {123456789, "123456789"}, {1e21, "1e+21"}, {1.5e21, "1.5e+21"},
		{1e-7, "1e-7"}, {1.5e-7, "1.5e-7"}, {0.000001, "0.000001"}, {123.456, "123.456"}, {1 << 53, "9007199254740992"},
		{1e300, "1e+300"}, {5e-324, "5e-324"}, {100, "100"}, {1e20, "100000000000000000000"}, {0.5, "0.5"},
	}
	for _, tc := range tests {
		if got := jsNumber(tc.in); got != tc.want {
			t.Errorf("jsNumber(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
