package recordmanager

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/llm/llmtest"
	"github.com/floehq/floe/internal/node"
)

// memo is a node.Memo over a sync.Map, as the server's.
type memo struct{ m sync.Map }

func (m *memo) LoadOrStore(key string, value any) (any, bool) { return m.m.LoadOrStore(key, value) }
func (m *memo) Delete(key string)                             { m.m.Delete(key) }

func initRM(t *testing.T, def node.Definition, inputs map[string]any, rt *node.Runtime) *records {
	t.Helper()
	inst, err := def.Init(t.Context(), &node.Data{ID: "rm_0", Inputs: inputs}, rt)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	t.Cleanup(func() { _ = inst.(interface{ Close(context.Context) error }).Close(context.Background()) })
	return inst.(*records)
}

func TestSQLiteRecordManagerConformance(t *testing.T) {
	llmtest.TestRecordManager(t, func(t *testing.T) llm.RecordManager {
		return initRM(t, sqliteRecordManager, nil, &node.Runtime{DataDir: t.TempDir(), ChatflowID: "flow1"})
	})
}

func TestSQLiteRecordManagerNamespaces(t *testing.T) {
	rt := &node.Runtime{DataDir: t.TempDir(), ChatflowID: "flow1", Memo: &memo{}}
	a := initRM(t, sqliteRecordManager, nil, rt)
	b := initRM(t, sqliteRecordManager, map[string]any{"namespace": "other"}, rt)
	if a.db != b.db {
		t.Errorf("two record managers of one server opened two database handles, want one shared")
	}
	now := time.Now()
	for _, rm := range []llm.RecordManager{a, b, a.Scoped("coll")} {
		if err := rm.Update(t.Context(), []string{"k"}, []string{"g"}, now); err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	if err := a.DeleteKeys(t.Context(), []string{"k"}); err != nil {
		t.Fatalf("DeleteKeys: %v", err)
	}
	tests := []struct {
		name string
		rm   llm.RecordManager
		want []bool
	}{
		{name: "deleted in its namespace", rm: a, want: []bool{false}},
		{name: "other namespace keeps it", rm: b, want: []bool{true}},
		{name: "scoped namespace keeps it", rm: a.Scoped("coll"), want: []bool{true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rm.Exists(t.Context(), []string{"k"})
			if err != nil {
				t.Fatalf("Exists: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Exists (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecordManagerSettings(t *testing.T) {
	tests := []struct {
		name    string
		inputs  map[string]any
		wantNS  string
		want    llm.IndexOptions
		wantErr bool
	}{
		{name: "defaults", wantNS: "flow1", want: llm.IndexOptions{Cleanup: "none", SourceIDKey: "source"}},
		{name: "as saved by the UI", inputs: map[string]any{"tableName": "", "namespace": "", "cleanup": "full", "sourceIdKey": "file"},
			wantNS: "flow1", want: llm.IndexOptions{Cleanup: "full", SourceIDKey: "file"}},
		{name: "namespace", inputs: map[string]any{"namespace": " team-a_1 ", "cleanup": "incremental"}, wantNS: "team-a_1",
			want: llm.IndexOptions{Cleanup: "incremental", SourceIDKey: "source"}},
		{name: "bad namespace", inputs: map[string]any{"namespace": "a b"}, wantErr: true},
		{name: "bad table", inputs: map[string]any{"tableName": `x"; drop table y`}, wantErr: true},
		{name: "bad cleanup", inputs: map[string]any{"cleanup": "sometimes"}, wantErr: true},
		{name: "bad additional config", inputs: map[string]any{"additionalConfig": "{"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := sqliteRecordManager.Init(t.Context(), &node.Data{ID: "rm_0", Inputs: tc.inputs}, &node.Runtime{DataDir: t.TempDir(), ChatflowID: "flow1"})
			if tc.wantErr {
				if err == nil {
					t.Errorf("Init succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Init: %v", err)
			}
			rm := inst.(*records)
			defer rm.Close(t.Context())
			if rm.namespace != tc.wantNS {
				t.Errorf("namespace = %q, want %q", rm.namespace, tc.wantNS)
			}
			if diff := cmp.Diff(tc.want, rm.IndexOptions()); diff != "" {
				t.Errorf("IndexOptions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegister(t *testing.T) {
	r := node.NewRegistry()
	Register(r)
	for _, name := range []string{"SQLiteRecordManager", "postgresRecordManager"} {
		def, err := r.Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%s): %v", name, err)
		}
		if def.Spec.Category != "Record Manager" || def.Spec.BaseClasses[1] != "RecordManager" {
			t.Errorf("%s: category %q, base classes %v", name, def.Spec.Category, def.Spec.BaseClasses)
		}
	}
}
