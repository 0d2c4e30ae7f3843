package store_test

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
	"github.com/floehq/floe/internal/store/storetest"
)

// forEachDialect runs fn against a fresh database of every dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, storetest.Open(t, d))
		})
	}
}

func ptr[T any](v T) *T { return &v }

// checkStamped reports whether created and updated look like store-set
// timestamps: recent, UTC, millisecond precision.
func checkStamped(t *testing.T, what string, created, updated time.Time) {
	t.Helper()
	for _, ts := range []time.Time{created, updated} {
		if ts.IsZero() || ts.Location() != time.UTC || ts.Truncate(time.Millisecond) != ts ||
			time.Since(ts) > time.Minute {
			t.Errorf("%s: got timestamp %v, want a recent UTC time with millisecond precision", what, ts)
		}
	}
	if updated.Before(created) {
		t.Errorf("%s: got updatedDate %v before createdDate %v", what, updated, created)
	}
}

func TestOpenDialect(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		if err := db.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
		want := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
		if got := db.Dialect(); got != want {
			t.Errorf("Dialect() = %q, want %q", got, want)
		}
	})
}

func TestOpenSQLiteCreatesDirAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "floe.db")
	opts := store.Options{Type: store.DialectSQLite, SQLitePath: path}
	db, err := store.Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	v := &store.Variable{Name: "kept", Value: ptr("1"), Type: "static"}
	if err := db.CreateVariable(t.Context(), v); err != nil {
		t.Fatalf("CreateVariable: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// A second Open finds the migrations applied and the data in place.
	db, err = store.Open(t.Context(), opts)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer db.Close()
	if _, err := db.GetVariable(t.Context(), v.ID); err != nil {
		t.Errorf("GetVariable after reopen: %v", err)
	}
}

func TestSQLiteConnectionSettings(t *testing.T) {
	db := storetest.Open(t, store.DialectSQLite)
	w, r, err := store.SQLitePragmas(t.Context(), db, "journal_mode", "busy_timeout", "foreign_keys", "synchronous", "query_only")
	if err != nil {
		t.Fatalf("reading pragmas: %v", err)
	}
	common := map[string]string{"journal_mode": "wal", "busy_timeout": "5000", "foreign_keys": "1", "synchronous": "1"}
	tests := []struct {
		name      string
		got       map[string]string
		queryOnly string
	}{
		{"writer", w, "0"},
		{"reader", r, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := maps.Clone(common)
			want["query_only"] = tc.queryOnly
			if diff := cmp.Diff(want, tc.got); diff != "" {
				t.Errorf("pragmas mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		opts store.Options
	}{
		{"unknown type", store.Options{Type: "mysql"}},
		{"empty sqlite path", store.Options{Type: store.DialectSQLite}},
		{"in-memory sqlite", store.Options{Type: store.DialectSQLite, SQLitePath: ":memory:"}},
		{"empty postgres dsn", store.Options{Type: store.DialectPostgres}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := store.Open(t.Context(), tc.opts)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%+v) succeeded, want an error", tc.opts)
			}
		})
	}
}

// TestConcurrentWrites checks that many goroutines writing at once all
// succeed: SQLite's single writer connection queues them instead of failing
// with SQLITE_BUSY.
func TestConcurrentWrites(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		const n = 50
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			wg.Go(func() {
				v := &store.Variable{Name: fmt.Sprintf("v%d", i), Value: ptr("x"), Type: "static"}
				if err := db.CreateVariable(t.Context(), v); err != nil {
					errs <- err
					return
				}
				v.Value = ptr("y")
				if err := db.UpdateVariable(t.Context(), v); err != nil {
					errs <- err
				}
				if _, err := db.ListVariables(t.Context()); err != nil {
					errs <- err
				}
			})
			wg.Go(func() {
				m := &store.ChatMessage{Role: "userMessage", ChatflowID: "f", ChatID: "c", ChatType: "INTERNAL"}
				a := &store.ChatMessage{Role: "apiMessage", ChatflowID: "f", ChatID: "c", ChatType: "INTERNAL"}
				if err := db.AddChatMessages(t.Context(), m, a); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent write: %v", err)
		}
		vars, err := db.ListVariables(t.Context())
		if err != nil {
			t.Fatalf("ListVariables: %v", err)
		}
		if len(vars) != n {
			t.Errorf("got %d variables, want %d", len(vars), n)
		}
		msgs, err := db.ListChatMessages(t.Context(), store.ChatMessageFilter{ChatflowID: "f"})
		if err != nil {
			t.Fatalf("ListChatMessages: %v", err)
		}
		if len(msgs) != 2*n {
			t.Errorf("got %d messages, want %d", len(msgs), 2*n)
		}
	})
}

func TestNotFound(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		const id = "00000000-0000-4000-8000-000000000000"
		tests := []struct {
			name string
			call func() error
		}{
			{"GetChatFlow", func() error { _, err := db.GetChatFlow(ctx, id); return err }},
			{"UpdateChatFlow", func() error { return db.UpdateChatFlow(ctx, &store.ChatFlow{ID: id}) }},
			{"DeleteChatFlow", func() error { return db.DeleteChatFlow(ctx, id) }},
			{"GetAPIKey", func() error { _, err := db.GetAPIKey(ctx, id); return err }},
			{"GetAPIKeyByHash", func() error { _, err := db.GetAPIKeyByHash(ctx, "abc"); return err }},
			{"UpdateAPIKey", func() error { return db.UpdateAPIKey(ctx, &store.APIKey{ID: id}) }},
			{"DeleteAPIKey", func() error { return db.DeleteAPIKey(ctx, id) }},
			{"GetVariable", func() error { _, err := db.GetVariable(ctx, id); return err }},
			{"UpdateVariable", func() error { return db.UpdateVariable(ctx, &store.Variable{ID: id}) }},
			{"DeleteVariable", func() error { return db.DeleteVariable(ctx, id) }},
			{"GetCredential", func() error { _, err := db.GetCredential(ctx, id); return err }},
			{"UpdateCredential", func() error { return db.UpdateCredential(ctx, &store.Credential{ID: id}) }},
			{"DeleteCredential", func() error { return db.DeleteCredential(ctx, id) }},
			{"GetTool", func() error { _, err := db.GetTool(ctx, id); return err }},
			{"UpdateTool", func() error { return db.UpdateTool(ctx, &store.Tool{ID: id}) }},
			{"DeleteTool", func() error { return db.DeleteTool(ctx, id) }},
			{"GetChatFlow non-uuid", func() error { _, err := db.GetChatFlow(ctx, "not a uuid"); return err }},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := tc.call(); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("got error %v, want ErrNotFound", err)
				}
			})
		}
	})
}
