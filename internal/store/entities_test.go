package store_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/floehq/floe/internal/store"
)

func TestVariableRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		tests := []struct {
			name     string
			in       *store.Variable
			wantType string
		}{
			{"static", &store.Variable{Name: "a", Value: ptr("1"), Type: "static", WorkspaceID: "ws"}, "static"},
			{"null value, default type", &store.Variable{Name: "b"}, "string"},
		}
		var want []store.Variable
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.CreateVariable(ctx, tc.in); err != nil {
					t.Fatalf("CreateVariable: %v", err)
				}
				if tc.in.ID == "" || tc.in.Type != tc.wantType {
					t.Errorf("after create got id %q, type %q, want a generated id and %q", tc.in.ID, tc.in.Type, tc.wantType)
				}
				checkStamped(t, "create", tc.in.CreatedDate, tc.in.UpdatedDate)
				got, err := db.GetVariable(ctx, tc.in.ID)
				if err != nil {
					t.Fatalf("GetVariable: %v", err)
				}
				if diff := cmp.Diff(tc.in, got); diff != "" {
					t.Errorf("GetVariable mismatch (-want +got):\n%s", diff)
				}
			})
			want = append([]store.Variable{*tc.in}, want...)
		}
		list, err := db.ListVariables(ctx)
		if err != nil {
			t.Fatalf("ListVariables: %v", err)
		}
		if diff := cmp.Diff(want, list); diff != "" {
			t.Errorf("ListVariables mismatch (-want +got):\n%s", diff)
		}

		v := *tests[0].in
		v.Name, v.Value, v.Type = "renamed", nil, "runtime"
		if err := db.UpdateVariable(ctx, &v); err != nil {
			t.Fatalf("UpdateVariable: %v", err)
		}
		got, err := db.GetVariable(ctx, v.ID)
		if err != nil {
			t.Fatalf("GetVariable: %v", err)
		}
		if diff := cmp.Diff(&v, got); diff != "" {
			t.Errorf("GetVariable after update mismatch (-want +got):\n%s", diff)
		}
		if err := db.DeleteVariable(ctx, v.ID); err != nil {
			t.Fatalf("DeleteVariable: %v", err)
		}
		if _, err := db.GetVariable(ctx, v.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetVariable after delete: got %v, want ErrNotFound", err)
		}
	})
}

func credentialIDs(creds []store.Credential) []string {
	ids := []string{}
	for _, c := range creds {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestCredentialRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		var ids []string
		for _, name := range []string{"openAIApi", "pineconeApi", "openAIApi"} {
			c := &store.Credential{Name: "my " + name, CredentialName: name, EncryptedData: "U2FsdGVk", WorkspaceID: "ws"}
			if err := db.CreateCredential(ctx, c); err != nil {
				t.Fatalf("CreateCredential: %v", err)
			}
			checkStamped(t, "create", c.CreatedDate, c.UpdatedDate)
			got, err := db.GetCredential(ctx, c.ID)
			if err != nil {
				t.Fatalf("GetCredential: %v", err)
			}
			if diff := cmp.Diff(c, got); diff != "" {
				t.Errorf("GetCredential mismatch (-want +got):\n%s", diff)
			}
			ids = append(ids, c.ID)
		}

		tests := []struct {
			name  string
			names []string
			want  []string
		}{
			{"all", nil, []string{ids[2], ids[1], ids[0]}},
			{"one name", []string{"openAIApi"}, []string{ids[2], ids[0]}},
			{"two names", []string{"pineconeApi", "openAIApi"}, []string{ids[2], ids[1], ids[0]}},
			{"unknown name", []string{"nope"}, []string{}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListCredentials(ctx, tc.names)
				if err != nil {
					t.Fatalf("ListCredentials: %v", err)
				}
				if diff := cmp.Diff(tc.want, credentialIDs(got)); diff != "" {
					t.Errorf("ids mismatch (-want +got):\n%s", diff)
				}
			})
		}

		c := &store.Credential{ID: ids[0], Name: "renamed", CredentialName: "anthropicApi", EncryptedData: "new"}
		if err := db.UpdateCredential(ctx, c); err != nil {
			t.Fatalf("UpdateCredential: %v", err)
		}
		got, err := db.GetCredential(ctx, c.ID)
		if err != nil {
			t.Fatalf("GetCredential: %v", err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("GetCredential after update mismatch (-want +got):\n%s", diff)
		}
		if err := db.DeleteCredential(ctx, c.ID); err != nil {
			t.Fatalf("DeleteCredential: %v", err)
		}
		if _, err := db.GetCredential(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetCredential after delete: got %v, want ErrNotFound", err)
		}
	})
}

func TestToolRoundTrip(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		full := &store.Tool{
			Name: "get_weather", Description: "weather", Color: "#fff", IconSrc: ptr("icon.svg"),
			Schema: ptr(`[{"property":"city"}]`), Func: ptr("return $city"), WorkspaceID: "ws",
		}
		bare := &store.Tool{Name: "bare", Description: "d", Color: "c"}
		for _, tool := range []*store.Tool{full, bare} {
			if err := db.CreateTool(ctx, tool); err != nil {
				t.Fatalf("CreateTool: %v", err)
			}
			checkStamped(t, "create", tool.CreatedDate, tool.UpdatedDate)
			got, err := db.GetTool(ctx, tool.ID)
			if err != nil {
				t.Fatalf("GetTool: %v", err)
			}
			if diff := cmp.Diff(tool, got); diff != "" {
				t.Errorf("GetTool mismatch (-want +got):\n%s", diff)
			}
		}
		list, err := db.ListTools(ctx)
		if err != nil {
			t.Fatalf("ListTools: %v", err)
		}
		if diff := cmp.Diff([]store.Tool{*bare, *full}, list); diff != "" {
			t.Errorf("ListTools mismatch (-want +got):\n%s", diff)
		}

		upd := *full
		upd.Name, upd.IconSrc, upd.Func = "renamed", nil, ptr("return 1")
		if err := db.UpdateTool(ctx, &upd); err != nil {
			t.Fatalf("UpdateTool: %v", err)
		}
		got, err := db.GetTool(ctx, upd.ID)
		if err != nil {
			t.Fatalf("GetTool: %v", err)
		}
		if diff := cmp.Diff(&upd, got); diff != "" {
			t.Errorf("GetTool after update mismatch (-want +got):\n%s", diff)
		}
		if err := db.DeleteTool(ctx, upd.ID); err != nil {
			t.Fatalf("DeleteTool: %v", err)
		}
		if _, err := db.GetTool(ctx, upd.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetTool after delete: got %v, want ErrNotFound", err)
		}
	})
}
