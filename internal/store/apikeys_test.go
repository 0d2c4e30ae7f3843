package store_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

func mustCreateKey(t *testing.T, db *store.DB, name, hash string) *store.APIKey {
	t.Helper()
	k := &store.APIKey{KeyName: name, KeyPreview: "abcd…wxyz", KeyHash: hash, APISecret: "s." + hash}
	if err := db.CreateAPIKey(t.Context(), k); err != nil {
		t.Fatalf("CreateAPIKey(%q): %v", name, err)
	}
	return k
}

func TestAPIKeyRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		has, err := db.HasAPIKeys(ctx)
		if err != nil || has {
			t.Errorf("HasAPIKeys on an empty database: got %v, %v, want false, nil", has, err)
		}

		k := mustCreateKey(t, db, "first", "hash1")
		if k.ID == "" || k.Permissions != "[]" {
			t.Errorf("after create got id %q, permissions %q, want a generated id and \"[]\"", k.ID, k.Permissions)
		}
		checkStamped(t, "create", k.CreatedDate, k.UpdatedDate)
		second := &store.APIKey{
			KeyName: "second", KeyPreview: "p", KeyHash: "hash2", APISecret: "x",
			Permissions: `["chatflows:view"]`, WorkspaceID: "ws",
		}
		if err := db.CreateAPIKey(ctx, second); err != nil {
			t.Fatalf("CreateAPIKey: %v", err)
		}

		has, err = db.HasAPIKeys(ctx)
		if err != nil || !has {
			t.Errorf("HasAPIKeys: got %v, %v, want true, nil", has, err)
		}
		got, err := db.GetAPIKey(ctx, k.ID)
		if err != nil {
			t.Fatalf("GetAPIKey: %v", err)
		}
		if diff := cmp.Diff(k, got); diff != "" {
			t.Errorf("GetAPIKey mismatch (-want +got):\n%s", diff)
		}
		got, err = db.GetAPIKeyByHash(ctx, "hash2")
		if err != nil {
			t.Fatalf("GetAPIKeyByHash: %v", err)
		}
		if diff := cmp.Diff(second, got); diff != "" {
			t.Errorf("GetAPIKeyByHash mismatch (-want +got):\n%s", diff)
		}
		list, err := db.ListAPIKeys(ctx)
		if err != nil {
			t.Fatalf("ListAPIKeys: %v", err)
		}
		if diff := cmp.Diff([]store.APIKey{*k, *second}, list); diff != "" {
			t.Errorf("ListAPIKeys mismatch (-want +got):\n%s", diff)
		}

		// Update touches only keyName and permissions and reloads the rest.
		upd := &store.APIKey{ID: k.ID, KeyName: "renamed", KeyHash: "ignored", Permissions: `["x"]`}
		if err := db.UpdateAPIKey(ctx, upd); err != nil {
			t.Fatalf("UpdateAPIKey: %v", err)
		}
		want := *k
		want.KeyName, want.Permissions, want.UpdatedDate = "renamed", `["x"]`, upd.UpdatedDate
		if diff := cmp.Diff(&want, upd); diff != "" {
			t.Errorf("UpdateAPIKey result mismatch (-want +got):\n%s", diff)
		}
		if !upd.UpdatedDate.After(k.UpdatedDate) {
			t.Errorf("got updatedDate %v, want after %v", upd.UpdatedDate, k.UpdatedDate)
		}
		got, err = db.GetAPIKey(ctx, k.ID)
		if err != nil {
			t.Fatalf("GetAPIKey: %v", err)
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("GetAPIKey after update mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestAPIKeyConflict(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		first := mustCreateKey(t, db, "a", "samehash")
		tests := []struct {
			name string
			key  store.APIKey
		}{
			{"duplicate hash", store.APIKey{KeyName: "b", KeyHash: "samehash"}},
			{"duplicate id", store.APIKey{ID: first.ID, KeyName: "c", KeyHash: "other"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := db.CreateAPIKey(t.Context(), &tc.key)
				if !errors.Is(err, store.ErrConflict) {
					t.Errorf("got error %v, want ErrConflict", err)
				}
			})
		}
		list, err := db.ListAPIKeys(t.Context())
		if err != nil {
			t.Fatalf("ListAPIKeys: %v", err)
		}
		if len(list) != 1 {
			t.Errorf("got %d keys, want 1", len(list))
		}
	})
}

func TestDeleteAPIKeyUnbindsFlows(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		gone := mustCreateKey(t, db, "gone", "h1")
		kept := mustCreateKey(t, db, "kept", "h2")
		bound := mustCreateFlow(t, db, &store.ChatFlow{Name: "bound", FlowData: "{}", APIKeyID: ptr(gone.ID)})
		other := mustCreateFlow(t, db, &store.ChatFlow{Name: "other", FlowData: "{}", APIKeyID: ptr(kept.ID)})

		if err := db.DeleteAPIKey(ctx, gone.ID); err != nil {
			t.Fatalf("DeleteAPIKey: %v", err)
		}
		if _, err := db.GetAPIKey(ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetAPIKey after delete: got %v, want ErrNotFound", err)
		}
		tests := []struct {
			name string
			id   string
			want *string
		}{
			{"bound to deleted key", bound.ID, nil},
			{"bound to other key", other.ID, ptr(kept.ID)},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f, err := db.GetChatFlow(ctx, tc.id)
				if err != nil {
					t.Fatalf("GetChatFlow: %v", err)
				}
				if diff := cmp.Diff(tc.want, f.APIKeyID); diff != "" {
					t.Errorf("apikeyid mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}
