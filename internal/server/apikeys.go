package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/floehq/floe/internal/store"
)

// apiKeyView is an API key as Flowise lists it: the key itself only at
// creation, otherwise masked; the flows bound to it.
type apiKeyView struct {
	ID          string          `json:"id"`
	KeyName     string          `json:"keyName"`
	APIKey      string          `json:"apiKey"`
	CreatedAt   time.Time       `json:"createdAt"`
	UpdatedDate time.Time       `json:"updatedDate"`
	ChatFlows   []boundFlowView `json:"chatFlows"`
}

type boundFlowView struct {
	FlowName    string    `json:"flowName"`
	Category    string    `json:"category"`
	UpdatedDate time.Time `json:"updatedDate"`
}

func (s *Server) keyView(r *http.Request, k *store.APIKey, plaintext string) (apiKeyView, error) {
	v := apiKeyView{ID: k.ID, KeyName: k.KeyName, APIKey: k.KeyPreview, CreatedAt: k.CreatedDate, UpdatedDate: k.UpdatedDate, ChatFlows: []boundFlowView{}}
	if plaintext != "" {
		v.APIKey = plaintext
	}
	flows, err := s.db.ListChatFlowsByAPIKey(r.Context(), k.ID, true)
	if err != nil {
		return v, err
	}
	for _, f := range flows {
		cat := ""
		if f.Category != nil {
			cat = *f.Category
		}
		v.ChatFlows = append(v.ChatFlows, boundFlowView{FlowName: f.Name, Category: cat, UpdatedDate: f.UpdatedDate})
	}
	return v, nil
}

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.db.ListAPIKeys(r.Context())
	if err != nil {
		return err
	}
	out := make([]apiKeyView, 0, len(keys))
	for i := range keys {
		v, err := s.keyView(r, &keys[i], "")
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// createAPIKey makes a key and returns it with the plaintext, which is
// shown this once and never stored.
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	name, err := requiredString(b, "keyName")
	if err != nil {
		return err
	}
	perms := "[]"
	var p *string
	if err := b.jsonText("permissions", &p, true); err != nil {
		return err
	}
	if p != nil {
		perms = *p
	}
	key, secret, lookup, err := newAPIKey()
	if err != nil {
		return err
	}
	k := &store.APIKey{KeyName: name, KeyPreview: keyPreview(key), KeyHash: lookup, APISecret: secret, Permissions: perms}
	if err := s.db.CreateAPIKey(r.Context(), k); err != nil {
		return err
	}
	s.keys.put(lookup, secret)
	v, err := s.keyView(r, k, key)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiKeyByID(r *http.Request) (*store.APIKey, error) {
	id, err := pathID(r, "API Key")
	if err != nil {
		return nil, err
	}
	k, err := s.db.GetAPIKey(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("ApiKey", id)
	}
	return k, err
}

func (s *Server) updateAPIKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.apiKeyByID(r)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	if b.has("keyName") {
		if k.KeyName, err = requiredString(b, "keyName"); err != nil {
			return err
		}
	}
	var p *string
	if err := b.jsonText("permissions", &p, true); err != nil {
		return err
	}
	if p != nil {
		k.Permissions = *p
	}
	if err := s.db.UpdateAPIKey(r.Context(), k); err != nil {
		return err
	}
	v, err := s.keyView(r, k, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) deleteAPIKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.apiKeyByID(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteAPIKey(r.Context(), k.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deleted())
	return nil
}

// verifyAPIKeyRoute answers "OK" for a valid key and 401 otherwise.
func (s *Server) verifyAPIKeyRoute(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.verifyAPIKey(r.Context(), r.PathValue("apikey")); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "OK")
	return nil
}
