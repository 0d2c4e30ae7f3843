package credentials

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestCipherRoundTrip(t *testing.T) {
	c := mustCipher(t, "s3cret")
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{name: "credential JSON", plaintext: []byte(`{"openAIApiKey":"sk-abcdef0123456789"}`)},
		{name: "empty", plaintext: []byte{}},
		{name: "binary", plaintext: []byte{0, 1, 2, 255}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := c.Encrypt(tc.plaintext)
			if err != nil {
				t.Fatalf("Encrypt: %v", err)
			}
			if !strings.HasPrefix(enc, "v1:") {
				t.Errorf("Encrypt = %q, want v1: prefix", enc)
			}
			if len(tc.plaintext) > 0 && (strings.Contains(enc, string(tc.plaintext)) ||
				strings.Contains(enc, base64.StdEncoding.EncodeToString(tc.plaintext))) {
				t.Errorf("ciphertext %q contains the plaintext", enc)
			}
			again, _ := c.Encrypt(tc.plaintext)
			if again == enc {
				t.Errorf("two encryptions gave the same text %q; want fresh nonces", enc)
			}
			got, err := mustCipher(t, "s3cret").Decrypt(enc)
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if !bytes.Equal(got, tc.plaintext) {
				t.Errorf("Decrypt = %q, want %q", got, tc.plaintext)
			}
		})
	}
}

func TestCipherDecryptErrors(t *testing.T) {
	c := mustCipher(t, "s3cret")
	enc, err := c.Encrypt([]byte(`{"openAIApiKey":"sk-1"}`))
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(enc, "v1:"))
	if err != nil {
		t.Fatalf("decoding own output: %v", err)
	}
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 0x01
		return "v1:" + base64.StdEncoding.EncodeToString(b)
	}
	tests := []struct {
		name   string
		cipher *Cipher
		text   string
	}{
		{name: "wrong key", cipher: mustCipher(t, "other"), text: enc},
		{name: "tampered nonce", cipher: c, text: flip(0)},
		{name: "tampered ciphertext", cipher: c, text: flip(14)},
		{name: "tampered tag", cipher: c, text: flip(len(raw) - 1)},
		{name: "truncated", cipher: c, text: "v1:" + base64.StdEncoding.EncodeToString(raw[:10])},
		{name: "bad base64", cipher: c, text: "v1:!!!"},
		{name: "unknown version", cipher: c, text: "v2:" + strings.TrimPrefix(enc, "v1:")},
		{name: "crypto-js format", cipher: c, text: "U2FsdGVkX1+abc="},
		{name: "empty", cipher: c, text: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cipher.Decrypt(tc.text)
			if !errors.Is(err, ErrDecrypt) {
				t.Fatalf("Decrypt error = %v, want ErrDecrypt", err)
			}
			if got != nil {
				t.Errorf("Decrypt returned %q with the error, want nil", got)
			}
		})
	}
}

func TestNewCipherEmptySecret(t *testing.T) {
	if _, err := NewCipher(""); err == nil {
		t.Errorf("NewCipher(\"\") error = nil, want an error")
	}
}

func mustCipher(t *testing.T, secret string) *Cipher {
	t.Helper()
	c, err := NewCipher(secret)
	if err != nil {
		t.Fatalf("NewCipher: %v", err)
	}
	return c
}
