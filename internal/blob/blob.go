// Package blob stores files uploaded for chatflows (Vector Upsert files,
// later chat uploads) under BLOB_STORAGE_PATH as <chatflowId>/<name>. Every
// id and name is validated before it touches a path, and all access goes
// through an os.Root, so nothing outside the storage root can be read or
// written, symlinks included.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"unicode"
)

// ErrInvalidName reports an id or file name that cannot be stored.
var ErrInvalidName = errors.New("blob: invalid name")

// ErrNotFound reports a file that does not exist.
var ErrNotFound = errors.New("blob: file not found")

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Local is a blob store on the local filesystem. It is safe for concurrent
// use.
type Local struct {
	root *os.Root
}

// NewLocal opens (creating it when missing) the storage directory dir.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating blob storage %s: %w", dir, err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("opening blob storage %s: %w", dir, err)
	}
	return &Local{root: r}, nil
}

// Close releases the storage root.
func (l *Local) Close() error { return l.root.Close() }

// CheckName validates a stored file name: a single path element of at
// most 255 bytes, no separators, no "..", no control characters, not
// starting with a dot.
func CheckName(name string) error {
	switch {
	case name == "" || len(name) > 255:
		return fmt.Errorf("%w: file name must be 1 to 255 bytes", ErrInvalidName)
	case strings.ContainsAny(name, `/\`) || strings.Contains(name, ".."):
		return fmt.Errorf("%w: file name %q has a path separator or ..", ErrInvalidName, name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("%w: file name %q starts with a dot", ErrInvalidName, name)
	case strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("%w: file name has control characters", ErrInvalidName)
	}
	return nil
}

func path(chatflowID, name string) (string, error) {
	if !uuidRE.MatchString(chatflowID) {
		return "", fmt.Errorf("%w: chatflow id %q is not a uuid", ErrInvalidName, chatflowID)
	}
	if err := CheckName(name); err != nil {
		return "", err
	}
	return strings.ToLower(chatflowID) + "/" + name, nil
}

// Put writes a file, replacing any file of the same name, atomically (a
// reader sees the old or the new content, never part of it).
func (l *Local) Put(ctx context.Context, chatflowID, name string, data []byte) error {
	p, err := path(chatflowID, name)
	if err != nil {
		return err
	}
	if err := l.root.MkdirAll(strings.ToLower(chatflowID), 0o700); err != nil {
		return fmt.Errorf("storing %s: %w", name, err)
	}
	tmp := p + ".tmp-" + fmt.Sprint(os.Getpid())
	if err := l.root.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("storing %s: %w", name, err)
	}
	if err := l.root.Rename(tmp, p); err != nil {
		_ = l.root.Remove(tmp)
		return fmt.Errorf("storing %s: %w", name, err)
	}
	return nil
}

// ReadFile returns a stored file (node.FileReader).
func (l *Local) ReadFile(ctx context.Context, chatflowID, name string) ([]byte, error) {
	p, err := path(chatflowID, name)
	if err != nil {
		return nil, err
	}
	data, err := l.root.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return data, nil
}

// Delete removes a stored file; a missing file is not an error.
func (l *Local) Delete(ctx context.Context, chatflowID, name string) error {
	p, err := path(chatflowID, name)
	if err != nil {
		return err
	}
	if err := l.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("deleting %s: %w", name, err)
	}
	return nil
}
