package server

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/floehq/floe/internal/store"
)

func openSQLite(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), store.Options{Type: "sqlite", SQLitePath: path})
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	return db
}

func TestCredentialsEncryptedAtRest(t *testing.T) {
	const plaintext = "sk-live-PLAINTEXT-0123456789"
	path := filepath.Join(t.TempDir(), "database.sqlite")
	db := openSQLite(t, path)
	e := newEnvOn(t, db, "first-secret")

	var c store.Credential
	e.mustOK(e.loopback("POST", "/api/v1/credentials", map[string]any{
		"name": "openai", "credentialName": "openAIApi", "plainDataObj": map[string]any{"openAIApiKey": plaintext},
	}), &c)
	// Listing and creating never return secrets.
	for _, p := range []string{"/api/v1/credentials", "/api/v1/credentials?credentialName=openAIApi"} {
		r := e.loopback("GET", p, nil)
		if r.status != 200 || bytes.Contains(r.body, []byte(plaintext)) || bytes.Contains(r.body, []byte("encryptedData")) {
			t.Errorf("GET %s: got %d %s, want 200 without secrets", p, r.status, r.body)
		}
	}
	// The stored row holds ciphertext only.
	row, err := db.GetCredential(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.EncryptedData == "" || strings.Contains(row.EncryptedData, plaintext) {
		t.Errorf("stored encryptedData %q: want ciphertext without the plaintext", row.EncryptedData)
	}
	// GET by id redacts password fields.
	var view credentialView
	e.mustOK(e.loopback("GET", "/api/v1/credentials/"+c.ID, nil), &view)
	if view.PlainDataObj["openAIApiKey"] != redacted {
		t.Errorf("GET credential: got %v, want the key redacted", view.PlainDataObj)
	}
	// Saving the redacted placeholder back keeps the stored value.
	e.mustOK(e.loopback("PUT", "/api/v1/credentials/"+c.ID, map[string]any{"name": "renamed", "credentialName": "openAIApi", "plainDataObj": view.PlainDataObj}), nil)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Nothing on disk holds the plaintext.
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(plaintext)) {
			t.Errorf("%s contains the plaintext credential", filepath.Base(f))
		}
	}

	// Restart with the same key: the data decrypts.
	db2 := openSQLite(t, path)
	defer db2.Close()
	e2 := newEnvOn(t, db2, "first-secret")
	data, err := e2.srv.decrypt(mustCred(t, db2, c.ID))
	if err != nil {
		t.Fatalf("decrypting after restart: %v", err)
	}
	if data["openAIApiKey"] != plaintext {
		t.Errorf("after restart and a redacted save: got %v, want the original key", data["openAIApiKey"])
	}
	// Restart with another key: a clear error, not garbage.
	e3 := newEnvOn(t, db2, "another-secret")
	r := e3.loopback("GET", "/api/v1/credentials/"+c.ID, nil)
	checkError(t, r, 500, "secret key")
	if bytes.Contains(r.body, []byte(plaintext)) {
		t.Errorf("wrong-key response leaks data: %s", r.body)
	}
}

func mustCred(t *testing.T, db *store.DB, id string) *store.Credential {
	t.Helper()
	c, err := db.GetCredential(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
