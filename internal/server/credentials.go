package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/floehq/floe/internal/store"
)

// redacted is the placeholder Flowise sends in place of a password field's
// value; a client that saves it back means "keep the stored value".
const redacted = "_FLOWISE_BLANK_07167752-1a71-43b1-bf8f-4f32252165db"

// credentialView is a credential with its decrypted fields, password
// fields redacted.
type credentialView struct {
	store.Credential
	PlainDataObj map[string]any `json:"plainDataObj"`
}

func (s *Server) listCredentials(w http.ResponseWriter, r *http.Request) error {
	names := r.URL.Query()["credentialName"]
	creds, err := s.db.ListCredentials(r.Context(), names)
	if err != nil {
		return err
	}
	if creds == nil {
		creds = []store.Credential{}
	}
	writeJSON(w, http.StatusOK, creds)
	return nil
}

func (s *Server) credential(r *http.Request) (*store.Credential, error) {
	id, err := pathID(r, "Credential")
	if err != nil {
		return nil, err
	}
	c, err := s.db.GetCredential(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Credential", id)
	}
	return c, err
}

// decrypt opens a stored credential's data.
func (s *Server) decrypt(c *store.Credential) (map[string]any, error) {
	plain, err := s.cipher.Decrypt(c.EncryptedData)
	if err != nil {
		return nil, fmt.Errorf("decrypting credential %s: %w", c.ID, err)
	}
	var m map[string]any
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("decoding credential %s: %w", c.ID, err)
	}
	return m, nil
}

func (s *Server) passwordFields(credentialName string) map[string]bool {
	out := map[string]bool{}
	spec, err := s.creds.Lookup(credentialName)
	if err != nil {
		return out
	}
	for _, p := range spec.Inputs {
		if p.Type == "password" {
			out[p.Name] = true
		}
	}
	return out
}

func (s *Server) getCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := s.credential(r)
	if err != nil {
		return err
	}
	data, err := s.decrypt(c)
	if err != nil {
		return err
	}
	for k := range s.passwordFields(c.CredentialName) {
		if _, ok := data[k]; ok {
			data[k] = redacted
		}
	}
	writeJSON(w, http.StatusOK, credentialView{Credential: *c, PlainDataObj: data})
	return nil
}

// readCredential applies name, credentialName and plainDataObj from b.
// old holds the stored fields on update (nil on create): redacted
// placeholders are replaced by them.
func (s *Server) readCredential(b body, c *store.Credential, old map[string]any) error {
	if err := b.str("name", &c.Name); err != nil {
		return err
	}
	if err := b.str("credentialName", &c.CredentialName); err != nil {
		return err
	}
	if c.Name == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "name")
	}
	if c.CredentialName == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "credentialName")
	}
	if _, err := s.creds.Lookup(c.CredentialName); err != nil {
		return errorf(http.StatusBadRequest, "field %q: unknown credential type %q", "credentialName", c.CredentialName)
	}
	raw, ok := b["plainDataObj"]
	if !ok {
		if old == nil {
			return errorf(http.StatusBadRequest, "field %q is required", "plainDataObj")
		}
		return nil
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil || data == nil {
		return errorf(http.StatusBadRequest, "field %q must be a JSON object", "plainDataObj")
	}
	for k, v := range data {
		if v == redacted {
			if prev, ok := old[k]; ok {
				data[k] = prev
			} else {
				delete(data, k)
			}
		}
	}
	plain, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encoding credential data: %w", err)
	}
	enc, err := s.cipher.Encrypt(plain)
	if err != nil {
		return fmt.Errorf("encrypting credential data: %w", err)
	}
	c.EncryptedData = enc
	return nil
}

func (s *Server) createCredential(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var c store.Credential
	if err := s.readCredential(b, &c, nil); err != nil {
		return err
	}
	if err := s.db.CreateCredential(r.Context(), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) updateCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := s.credential(r)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	old, err := s.decrypt(c)
	if err != nil {
		return err
	}
	if err := s.readCredential(b, c, old); err != nil {
		return err
	}
	if err := s.db.UpdateCredential(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) deleteCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := s.credential(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteCredential(r.Context(), c.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleted())
	return nil
}

// Credential specs (the credential types nodes accept).

func (s *Server) listCredentialSpecs(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.creds.List())
	return nil
}

func (s *Server) getCredentialSpec(w http.ResponseWriter, r *http.Request) error {
	spec, err := s.creds.Lookup(r.PathValue("name"))
	if err != nil {
		return errorf(http.StatusNotFound, "Credential %s not found", r.PathValue("name"))
	}
	writeJSON(w, http.StatusOK, spec)
	return nil
}
