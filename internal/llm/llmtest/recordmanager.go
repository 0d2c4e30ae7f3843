package llmtest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
)

// TestRecordManager is the conformance suite every [llm.RecordManager]
// passes. newRM returns an empty record manager; each subtest gets its own.
func TestRecordManager(t *testing.T, newRM func(t *testing.T) llm.RecordManager) {
	t.Helper()
	t.Run("exists", func(t *testing.T) {
		rm := newRM(t)
		got, err := rm.Exists(t.Context(), nil)
		if err != nil || len(got) != 0 {
			t.Errorf("Exists(nil) = %v, %v; want empty, nil", got, err)
		}
		at := now(t, rm)
		update(t, rm, []string{"k1", "k2"}, []string{"g1", "g2"}, at)
		got, err = rm.Exists(t.Context(), []string{"k1", "k3", "k2", "k1"})
		if err != nil {
			t.Fatalf("Exists: %v", err)
		}
		if diff := cmp.Diff([]bool{true, false, true, true}, got); diff != "" {
			t.Errorf("Exists (-want +got):\n%s", diff)
		}
	})

	t.Run("clock", func(t *testing.T) {
		rm := newRM(t)
		a := now(t, rm)
		time.Sleep(2 * time.Millisecond)
		if b := now(t, rm); !b.After(a) {
			t.Errorf("Now went from %v to %v, want it to advance", a, b)
		}
	})

	t.Run("list keys by time and group", func(t *testing.T) {
		rm := newRM(t)
		t1 := now(t, rm)
		update(t, rm, []string{"a1", "a2", "b1"}, []string{"a", "a", "b"}, t1)
		update(t, rm, []string{"n1"}, nil, t1)
		t2 := t1.Add(10 * time.Millisecond)
		update(t, rm, []string{"a2"}, nil, t2) // a refresh keeps the group
		tests := []struct {
			name   string
			before time.Time
			groups []string
			want   []string
		}{
			{name: "all", want: []string{"a1", "a2", "b1", "n1"}},
			{name: "before the first write", before: t1, want: nil},
			{name: "just after the first write", before: t1.Add(time.Microsecond), want: []string{"a1", "b1", "n1"}},
			{name: "before the refresh", before: t2, want: []string{"a1", "b1", "n1"}},
			{name: "after the refresh", before: t2.Add(time.Millisecond), want: []string{"a1", "a2", "b1", "n1"}},
			{name: "one group", groups: []string{"a"}, want: []string{"a1", "a2"}},
			{name: "two groups", groups: []string{"a", "b"}, want: []string{"a1", "a2", "b1"}},
			{name: "group and time", before: t2, groups: []string{"a"}, want: []string{"a1"}},
			{name: "unknown group", groups: []string{"zzz"}, want: nil},
			{name: "no groups", groups: []string{}, want: nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := rm.ListKeys(t.Context(), tc.before, tc.groups)
				if err != nil {
					t.Fatalf("ListKeys: %v", err)
				}
				slices.Sort(got)
				if len(got) == 0 {
					got = nil
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("ListKeys (-want +got):\n%s", diff)
				}
			})
		}
	})

	t.Run("delete keys", func(t *testing.T) {
		rm := newRM(t)
		update(t, rm, []string{"k1", "k2", "k3"}, []string{"g", "g", "g"}, now(t, rm))
		if err := rm.DeleteKeys(t.Context(), []string{"k1", "k3", "unknown"}); err != nil {
			t.Fatalf("DeleteKeys: %v", err)
		}
		if err := rm.DeleteKeys(t.Context(), nil); err != nil {
			t.Errorf("DeleteKeys(nil): %v", err)
		}
		got, err := rm.ListKeys(t.Context(), time.Time{}, nil)
		if err != nil {
			t.Fatalf("ListKeys: %v", err)
		}
		if diff := cmp.Diff([]string{"k2"}, got); diff != "" {
			t.Errorf("keys left (-want +got):\n%s", diff)
		}
	})

	t.Run("mismatched groups", func(t *testing.T) {
		rm := newRM(t)
		if err := rm.Update(t.Context(), []string{"k1", "k2"}, []string{"g"}, now(t, rm)); err == nil {
			t.Errorf("Update with 2 keys and 1 group succeeded, want an error")
		}
	})

	t.Run("indexes", func(t *testing.T) {
		rm := newRM(t)
		vs := &mapStore{docs: map[string]llm.Document{}}
		docs := []llm.Document{
			{PageContent: "one", Metadata: map[string]any{"source": "s"}},
			{PageContent: "two", Metadata: map[string]any{"source": "s"}},
		}
		opts := llm.IndexOptions{Cleanup: llm.CleanupIncremental}
		if _, err := llm.Index(t.Context(), docs, vs, rm, opts); err != nil {
			t.Fatalf("first Index: %v", err)
		}
		time.Sleep(2 * time.Millisecond)
		docs[1].PageContent = "two, changed"
		res, err := llm.Index(t.Context(), docs, vs, rm, opts)
		if err != nil {
			t.Fatalf("second Index: %v", err)
		}
		got := []int{res.NumAdded, res.NumDeleted, res.NumSkipped, len(vs.docs)}
		if diff := cmp.Diff([]int{1, 1, 1, 2}, got); diff != "" {
			t.Errorf("added, deleted, skipped, stored (-want +got):\n%s", diff)
		}
	})
}

func now(t *testing.T, rm llm.RecordManager) time.Time {
	t.Helper()
	at, err := rm.Now(t.Context())
	if err != nil {
		t.Fatalf("Now: %v", err)
	}
	return at
}

func update(t *testing.T, rm llm.RecordManager, keys, groups []string, at time.Time) {
	t.Helper()
	if err := rm.Update(t.Context(), keys, groups, at); err != nil {
		t.Fatalf("Update(%v): %v", keys, err)
	}
}

// mapStore is the smallest [llm.VectorStore]: it keeps documents by id and
// does not search.
type mapStore struct {
	mu   sync.Mutex // guards docs
	docs map[string]llm.Document
}

func (s *mapStore) AddDocuments(_ context.Context, docs []llm.Document, ids []string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, d := range docs {
		s.docs[ids[i]] = d
	}
	return ids, nil
}

func (s *mapStore) SimilaritySearch(context.Context, string, int, llm.Filter) ([]llm.ScoredDocument, error) {
	return nil, nil
}

func (s *mapStore) Delete(_ context.Context, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.docs, id)
	}
	return nil
}

// MemoryRecordManager is an in-process [llm.RecordManager], the reference
// the conformance suite is checked against. The zero value is ready to use.
type MemoryRecordManager struct {
	mu sync.Mutex // guards recs
	// recs maps keys to their group and last write time.
	recs map[string]memoryRecord
}

type memoryRecord struct {
	group string
	at    time.Time
}

// Now implements [llm.RecordManager].
func (m *MemoryRecordManager) Now(context.Context) (time.Time, error) { return time.Now(), nil }

// Update implements [llm.RecordManager]. A key's group is set when the key
// is first recorded and kept on refreshes, as LangChain's SQL record
// managers do.
func (m *MemoryRecordManager) Update(_ context.Context, keys, groupIDs []string, at time.Time) error {
	if groupIDs != nil && len(groupIDs) != len(keys) {
		return fmt.Errorf("record manager: %d keys but %d group ids", len(keys), len(groupIDs))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.recs == nil {
		m.recs = map[string]memoryRecord{}
	}
	for i, k := range keys {
		rec, ok := m.recs[k]
		if !ok && groupIDs != nil {
			rec.group = groupIDs[i]
		}
		rec.at = at
		m.recs[k] = rec
	}
	return nil
}

// Exists implements [llm.RecordManager].
func (m *MemoryRecordManager) Exists(_ context.Context, keys []string) ([]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		_, out[i] = m.recs[k]
	}
	return out, nil
}

// ListKeys implements [llm.RecordManager].
func (m *MemoryRecordManager) ListKeys(_ context.Context, before time.Time, groupIDs []string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k, rec := range m.recs {
		if (before.IsZero() || rec.at.Before(before)) && (groupIDs == nil || slices.Contains(groupIDs, rec.group) && rec.group != "") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

// DeleteKeys implements [llm.RecordManager].
func (m *MemoryRecordManager) DeleteKeys(_ context.Context, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.recs, k)
	}
	return nil
}

var _ llm.RecordManager = (*MemoryRecordManager)(nil)
