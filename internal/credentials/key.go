package credentials

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFileName is the name of the secret key file inside the key directory,
// as in Flowise (~/.flowise/encryption.key or $SECRETKEY_PATH/encryption.key).
const KeyFileName = "encryption.key"

// LoadSecretKey returns the secret that keys the credential [Cipher].
//
// A non-empty overwrite (FLOWISE_SECRETKEY_OVERWRITE) wins and is returned
// as is. Otherwise the key is read from dir/encryption.key, with surrounding
// spaces and newlines trimmed. When that file does not exist, LoadSecretKey
// creates it, like Flowise, holding 24 random bytes in standard base64, with
// mode 0600 inside a directory created with mode 0700; later calls return
// the same key. A file that is empty or only whitespace is an error: losing
// the key makes every stored credential unreadable, so it is never replaced
// silently.
func LoadSecretKey(dir, overwrite string) (string, error) {
	if overwrite != "" {
		return overwrite, nil
	}
	if dir == "" {
		return "", errors.New("credentials: loading secret key: no key directory")
	}
	path := filepath.Join(dir, KeyFileName)
	key, err := readKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createKey(dir, path); err != nil {
		return "", err
	}
	return readKey(path)
}

func readKey(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("credentials: reading secret key: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if key == "" {
		return "", fmt.Errorf("credentials: reading secret key: %s is empty", path)
	}
	return key, nil
}

// createKey writes a new random key to path atomically: it writes a
// temporary file and links it into place, so no reader sees a partial key.
// When another process created path first, it keeps that key.
func createKey(dir, path string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("credentials: creating secret key directory: %w", err)
	}
	raw := make([]byte, 24)
	// crypto/rand.Read never returns an error.
	_, _ = rand.Read(raw)
	// CreateTemp makes the file with mode 0600.
	tmp, err := os.CreateTemp(dir, KeyFileName+".*")
	if err != nil {
		return fmt.Errorf("credentials: creating secret key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(raw))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("credentials: writing secret key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("credentials: creating secret key: %w", err)
	}
	return nil
}
