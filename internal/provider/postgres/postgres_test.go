package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/node"
)

type creds map[string]map[string]any

func (c creds) Credential(_ context.Context, id string) (map[string]any, error) { return c[id], nil }

func TestDSN(t *testing.T) {
	rt := &node.Runtime{Credentials: creds{"c1": {"user": "alice", "password": "p@ss word"}}}
	tests := []struct {
		name    string
		inputs  map[string]any
		want    string
		wantErr string
	}{
		{"defaults", map[string]any{"host": "db.local", "database": "app"}, "postgres://alice:p%40ss%20word@db.local:5432/app?sslmode=disable", ""},
		{"ssl input", map[string]any{"host": "db", "database": "d", "port": "6543", "ssl": true}, "postgres://alice:p%40ss%20word@db:6543/d?sslmode=verify-full", ""},
		{"ssl without verification", map[string]any{"host": "db", "database": "d", "additionalConfig": `{"ssl":{"rejectUnauthorized":false},"connectTimeoutMS":2500}`},
			"postgres://alice:p%40ss%20word@db:5432/d?connect_timeout=2&sslmode=require", ""},
		{"ipv6 host", map[string]any{"host": "::1", "database": "d"}, "postgres://alice:p%40ss%20word@[::1]:5432/d?sslmode=disable", ""},
		{"no host", map[string]any{"database": "d"}, "", "host is required"},
		{"mysql port", map[string]any{"host": "db", "port": 3006}, "", "invalid port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DSN(t.Context(), &node.Data{ID: "p", Inputs: tc.inputs, Credential: "c1"}, rt)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("DSN = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestSanitizeTableName(t *testing.T) {
	for in, want := range map[string]string{" My Docs ": "my_docs", "docs_2024": "docs_2024", "a;drop table x": "", `"x"`: "", strings.Repeat("a", 64): ""} {
		got, err := SanitizeTableName(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("SanitizeTableName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
