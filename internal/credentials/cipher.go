package credentials

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrDecrypt reports stored credential data that cannot be decrypted: it was
// encrypted with another secret key, or it is corrupt or was tampered with.
var ErrDecrypt = errors.New("credentials: decrypting credential data: wrong secret key or corrupt data")

// formatV1 prefixes data encrypted with AES-256-GCM under SHA-256(secret),
// followed by base64(nonce | ciphertext | tag).
const formatV1 = "v1:"

// Cipher encrypts and decrypts stored credential data with AES-256-GCM. Its
// key is the SHA-256 digest of the secret string, so any secret (such as the
// base64 text of encryption.key) yields a 256-bit key. Each encryption uses
// a fresh random nonce, so equal plaintexts give different ciphertexts.
//
// A Cipher is safe for concurrent use.
type Cipher struct {
	aead cipher.AEAD
}

// NewCipher returns a Cipher keyed by secret, which must not be empty.
func NewCipher(secret string) (*Cipher, error) {
	if secret == "" {
		return nil, errors.New("credentials: creating cipher: empty secret key")
	}
	key := sha256.Sum256([]byte(secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, fmt.Errorf("credentials: creating cipher: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("credentials: creating cipher: %w", err)
	}
	return &Cipher{aead: aead}, nil
}

// Encrypt seals plaintext and returns it as text: "v1:" followed by the
// standard base64 encoding of the random nonce, the ciphertext and the
// authentication tag.
func (c *Cipher) Encrypt(plaintext []byte) (string, error) {
	sealed := c.aead.Seal(nil, nil, plaintext, nil)
	return formatV1 + base64.StdEncoding.EncodeToString(sealed), nil
}

// Decrypt opens text produced by [Cipher.Encrypt]. When the text has another
// format, was encrypted under another secret, or was altered, it returns an
// error wrapping [ErrDecrypt] and never partial or garbage plaintext.
func (c *Cipher) Decrypt(text string) ([]byte, error) {
	payload, ok := strings.CutPrefix(text, formatV1)
	if !ok {
		return nil, fmt.Errorf("%w (unknown format)", ErrDecrypt)
	}
	sealed, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("%w (bad base64)", ErrDecrypt)
	}
	if len(sealed) < c.aead.NonceSize()+c.aead.Overhead() {
		return nil, fmt.Errorf("%w (too short)", ErrDecrypt)
	}
	plaintext, err := c.aead.Open(nil, nil, sealed, nil)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plaintext, nil
}
