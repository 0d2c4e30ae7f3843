package credentials

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadSecretKeyCreatesOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", ".floe")
	first, err := LoadSecretKey(dir, "")
	if err != nil {
		t.Fatalf("first LoadSecretKey: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(first)
	if err != nil || len(raw) != 24 {
		t.Errorf("key %q: want base64 of 24 bytes (got %d bytes, err %v)", first, len(raw), err)
	}
	second, err := LoadSecretKey(dir, "")
	if err != nil {
		t.Fatalf("second LoadSecretKey: %v", err)
	}
	if second != first {
		t.Errorf("second key = %q, want the first %q", second, first)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatalf("stat key file: %v", err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("key file mode = %o, want 600", got)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("stat key dir: %v", err)
	}
	if got := di.Mode().Perm(); got != 0o700 {
		t.Errorf("key dir mode = %o, want 700", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("key dir has %d entries, want only %s", len(entries), KeyFileName)
	}
}

func TestLoadSecretKey(t *testing.T) {
	tests := []struct {
		name      string
		file      *string // content of encryption.key; nil means no file
		overwrite string
		want      string
		wantErr   bool
	}{
		{name: "overwrite wins over file", file: ptr("from-file"), overwrite: "from-env", want: "from-env"},
		{name: "overwrite without file", overwrite: "from-env", want: "from-env"},
		{name: "existing file trimmed", file: ptr("  abc123==\n"), want: "abc123=="},
		{name: "empty file", file: ptr(""), wantErr: true},
		{name: "whitespace file", file: ptr(" \n\t"), wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.file != nil {
				if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte(*tc.file), 0o600); err != nil {
					t.Fatalf("writing key file: %v", err)
				}
			}
			got, err := LoadSecretKey(dir, tc.overwrite)
			if tc.wantErr {
				if err == nil {
					t.Errorf("got %q, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadSecretKey: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := LoadSecretKey("", ""); err == nil {
		t.Errorf("LoadSecretKey with no dir: error = nil, want an error")
	}
}

func ptr(s string) *string { return &s }
