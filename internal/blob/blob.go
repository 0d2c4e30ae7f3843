// Package blob stores files uploaded for chatflows: Vector Upsert files at
// <chatflowId>/<name> and chat uploads at <chatflowId>/<chatId>/<name>, the
// layout Flowise uses. A [Store] is backed by the local filesystem ([Local],
// under BLOB_STORAGE_PATH) or by an S3-compatible object store ([S3]);
// [Open] picks one from the server configuration.
//
// Every id and name of a [Key] is validated before it touches a path or a
// URL, so no key can reach outside its chatflow's folder.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/floehq/floe/internal/config"
)

// ErrInvalidName reports an id or file name that cannot be stored.
var ErrInvalidName = errors.New("blob: invalid name")

// ErrNotFound reports a file that does not exist.
var ErrNotFound = errors.New("blob: file not found")

// Store holds the files of chatflows. Implementations are safe for
// concurrent use. Every method validates its ids and names first and
// returns an error wrapping [ErrInvalidName] for a bad one.
type Store interface {
	// Put stores data under key, replacing any file of the same key
	// atomically: a reader sees the old or the new content, never part of
	// either.
	Put(ctx context.Context, key Key, data []byte) error
	// ReadFile returns the content stored under key, or an error wrapping
	// [ErrNotFound].
	ReadFile(ctx context.Context, key Key) ([]byte, error)
	// Open streams the content stored under key. The caller owns and must
	// close the reader, which may fail with ctx's error once ctx is done.
	// size is the length in bytes, or -1 when the backend does not report
	// it. A missing file gives an error wrapping [ErrNotFound].
	Open(ctx context.Context, key Key) (r io.ReadCloser, size int64, err error)
	// Delete removes the file stored under key; a missing file is not an
	// error.
	Delete(ctx context.Context, key Key) error
	// DeleteChat removes every file uploaded in one chat of a chatflow
	// (the files under <chatflowId>/<chatId>/).
	DeleteChat(ctx context.Context, chatflowID, chatID string) error
	// DeleteChatflow removes every file of a chatflow, chat uploads
	// included.
	DeleteChatflow(ctx context.Context, chatflowID string) error
	// Close releases the store's resources.
	Close() error
}

// Key names a stored file. With ChatID empty the file belongs to the
// chatflow itself (<chatflowId>/<name>, Vector Upsert files); otherwise to
// one chat (<chatflowId>/<chatId>/<name>, chat uploads).
type Key struct {
	// ChatflowID is the chatflow's UUID, any case (stored lower-cased).
	ChatflowID string
	// ChatID is the chat id, or "" for a chatflow-level file.
	ChatID string
	// Name is the file name, checked by [CheckName].
	Name string
}

// path validates k and returns its slash-separated path relative to the
// storage root.
func (k Key) path() (string, error) {
	dir, err := chatflowDir(k.ChatflowID)
	if err != nil {
		return "", err
	}
	if k.ChatID != "" {
		if err := CheckChatID(k.ChatID); err != nil {
			return "", err
		}
		dir += "/" + k.ChatID
	}
	if err := CheckName(k.Name); err != nil {
		return "", err
	}
	return dir + "/" + k.Name, nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// chatflowDir validates a chatflow id and returns its folder name.
func chatflowDir(id string) (string, error) {
	if !uuidRE.MatchString(id) {
		return "", fmt.Errorf("%w: chatflow id %q is not a uuid", ErrInvalidName, id)
	}
	return strings.ToLower(id), nil
}

// chatDir validates a chatflow and chat id and returns the chat's folder.
func chatDir(chatflowID, chatID string) (string, error) {
	dir, err := chatflowDir(chatflowID)
	if err != nil {
		return "", err
	}
	if err := CheckChatID(chatID); err != nil {
		return "", err
	}
	return dir + "/" + chatID, nil
}

var chatIDRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)

// CheckChatID validates a chat id used as a folder name: 1 to 128
// characters of A-Z, a-z, 0-9, '_', '.' and '-', not starting with a dot
// (so neither "." nor "..").
func CheckChatID(id string) error {
	if !chatIDRE.MatchString(id) || strings.HasPrefix(id, ".") {
		return fmt.Errorf("%w: chat id %q must be 1 to 128 characters of A-Z a-z 0-9 _ . - not starting with a dot", ErrInvalidName, id)
	}
	return nil
}

// CheckName validates a stored file name: a single path element of 1 to
// 255 bytes of UTF-8, with no separators, no "..", no percent-encoded dot,
// slash or backslash, no control characters, and not starting with a dot.
func CheckName(name string) error {
	lower := strings.ToLower(name)
	switch {
	case name == "" || len(name) > 255:
		return fmt.Errorf("%w: file name must be 1 to 255 bytes", ErrInvalidName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: file name %q is not valid UTF-8", ErrInvalidName, name)
	case strings.ContainsAny(name, `/\`) || strings.Contains(name, ".."):
		return fmt.Errorf("%w: file name %q has a path separator or ..", ErrInvalidName, name)
	case strings.Contains(lower, "%2e") || strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c"):
		return fmt.Errorf("%w: file name %q has an encoded dot or path separator", ErrInvalidName, name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("%w: file name %q starts with a dot", ErrInvalidName, name)
	case strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("%w: file name has control characters", ErrInvalidName)
	}
	return nil
}

// FileReader adapts a [Store] to node.FileReader: its ReadFile reads the
// chatflow-level file <chatflowId>/<name>, where Vector Upsert stores the
// files that FILE-STORAGE:: inputs refer to.
type FileReader struct {
	Store Store
}

// ReadFile returns the chatflow-level file name of chatflowID.
func (f FileReader) ReadFile(ctx context.Context, chatflowID, name string) ([]byte, error) {
	return f.Store.ReadFile(ctx, Key{ChatflowID: chatflowID, Name: name})
}

// Open returns the store chosen by cfg.StorageType: [Local] under
// cfg.BlobStoragePath ("local", the default) or [S3] ("s3"). cfg is
// expected to be validated by the config package already.
func Open(cfg *config.Config) (Store, error) {
	switch cfg.StorageType {
	case "", "local":
		return NewLocal(cfg.BlobStoragePath)
	case "s3":
		return NewS3(S3Config{
			Bucket:          cfg.S3Bucket,
			Region:          cfg.S3Region,
			Endpoint:        cfg.S3Endpoint,
			ForcePathStyle:  cfg.S3ForcePathStyle,
			Prefix:          cfg.S3Prefix,
			AccessKeyID:     cfg.S3AccessKeyID,
			SecretAccessKey: cfg.S3SecretAccessKey,
			SessionToken:    cfg.S3SessionToken,
		})
	default:
		return nil, fmt.Errorf("opening blob storage: STORAGE_TYPE %q is not supported (local or s3)", cfg.StorageType)
	}
}
