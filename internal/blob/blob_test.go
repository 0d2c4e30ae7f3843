package blob

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "storage")
	l, err := NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	flow := "6f1c1b36-3c1e-4b0e-9d52-5f8e0b6c1a11"
	if err := l.Put(t.Context(), flow, "a.txt", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := l.ReadFile(t.Context(), flow, "a.txt")
	if err != nil || string(got) != "hello" {
		t.Fatalf("got %q %v", got, err)
	}
	if _, err := l.ReadFile(t.Context(), flow, "missing.txt"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing file: got %v", err)
	}
	// A secret beside the storage root, and a symlink pointing at it.
	secret := filepath.Join(dir, "secret.txt")
	os.WriteFile(secret, []byte("secret"), 0o600)
	os.Symlink(secret, filepath.Join(root, flow, "link.txt"))
	bad := []struct{ flow, name string }{
		{flow, "../secret.txt"}, {flow, "..%2fsecret.txt"}, {flow, "/etc/passwd"}, {flow, `..\secret.txt`},
		{flow, "a\x00b"}, {flow, ".env"}, {flow, ""}, {"../x", "a.txt"}, {"not-a-uuid", "a.txt"},
		{flow, "link.txt"},
	}
	for _, b := range bad {
		data, err := l.ReadFile(t.Context(), b.flow, b.name)
		if err == nil || string(data) == "secret" {
			t.Errorf("ReadFile(%q, %q): got %q, %v; want an error", b.flow, b.name, data, err)
		}
		if b.name != "link.txt" {
			if err := l.Put(t.Context(), b.flow, b.name, []byte("x")); !errors.Is(err, ErrInvalidName) {
				t.Errorf("Put(%q, %q): got %v, want ErrInvalidName", b.flow, b.name, err)
			}
		}
	}
	if data, _ := os.ReadFile(secret); string(data) != "secret" {
		t.Errorf("the file outside the root was changed")
	}
}
