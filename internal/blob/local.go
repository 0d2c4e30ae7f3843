package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	pathpkg "path"
)

// Local is a [Store] on the local filesystem. All access goes through an
// os.Root, so nothing outside the storage directory can be read or
// written, symlinks included. It is safe for concurrent use.
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

// Put writes a file through a temporary file in the same folder and a
// rename, so it replaces any previous content atomically.
func (l *Local) Put(ctx context.Context, key Key, data []byte) error {
	p, err := key.path()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storing %s: %w", key.Name, err)
	}
	dir := pathpkg.Dir(p)
	if err := l.root.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("storing %s: %w", key.Name, err)
	}
	// A leading dot keeps the temporary name out of the valid names, and
	// the random part apart from concurrent writers.
	tmp := dir + "/.tmp-" + rand.Text()
	if err := l.root.WriteFile(tmp, data, 0o600); err != nil {
		_ = l.root.Remove(tmp)
		return fmt.Errorf("storing %s: %w", key.Name, err)
	}
	if err := l.root.Rename(tmp, p); err != nil {
		_ = l.root.Remove(tmp)
		return fmt.Errorf("storing %s: %w", key.Name, err)
	}
	return nil
}

// ReadFile returns a stored file.
func (l *Local) ReadFile(ctx context.Context, key Key) ([]byte, error) {
	f, size, err := l.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("reading %s: %w", key.Name, err)
	}
	return buf.Bytes(), nil
}

// Open opens a stored file for reading; the reader is an *os.File.
func (l *Local) Open(ctx context.Context, key Key) (io.ReadCloser, int64, error) {
	p, err := key.path()
	if err != nil {
		return nil, 0, err
	}
	f, err := l.root.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, key.Name)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading %s: %w", key.Name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("reading %s: %w", key.Name, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, key.Name)
	}
	return f, fi.Size(), nil
}

// Delete removes a stored file; a missing file (or a folder of that name)
// is not an error.
func (l *Local) Delete(ctx context.Context, key Key) error {
	p, err := key.path()
	if err != nil {
		return err
	}
	fi, err := l.root.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) || err == nil && fi.IsDir() {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting %s: %w", key.Name, err)
	}
	if err := l.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("deleting %s: %w", key.Name, err)
	}
	return nil
}

// DeleteChat removes the folder of one chat's uploads.
func (l *Local) DeleteChat(ctx context.Context, chatflowID, chatID string) error {
	dir, err := chatDir(chatflowID, chatID)
	if err != nil {
		return err
	}
	if err := l.root.RemoveAll(dir); err != nil {
		return fmt.Errorf("deleting files of chat %s: %w", chatID, err)
	}
	return nil
}

// DeleteChatflow removes the folder of a chatflow.
func (l *Local) DeleteChatflow(ctx context.Context, chatflowID string) error {
	dir, err := chatflowDir(chatflowID)
	if err != nil {
		return err
	}
	if err := l.root.RemoveAll(dir); err != nil {
		return fmt.Errorf("deleting files of chatflow %s: %w", dir, err)
	}
	return nil
}

var _ Store = (*Local)(nil)
