package server

import (
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/floehq/floe/internal/store"
)

// createLead is POST /api/v1/leads: the chat widget's lead form. It is
// public. chatflowid must name an existing chatflow; a missing chatId is
// generated; name, email and phone are optional and at most 1 KB each.
func (s *Server) createLead(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var l store.Lead
	if l.ChatflowID, err = requiredString(b, "chatflowid"); err != nil {
		return err
	}
	if !uuidRE.MatchString(l.ChatflowID) {
		return errorf(http.StatusBadRequest, "Invalid Chatflow ID")
	}
	if err := b.str("chatId", &l.ChatID); err != nil {
		return err
	}
	if err := checkChatID("chatId", l.ChatID); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"name", &l.Name}, {"email", &l.Email}, {"phone", &l.Phone}} {
		if err := b.optStr(f.name, f.dst); err != nil {
			return err
		}
		if *f.dst != nil && len(**f.dst) > maxTextLen {
			return errorf(http.StatusBadRequest, "field %q is longer than %d bytes", f.name, maxTextLen)
		}
	}
	if _, err := s.db.GetChatFlow(r.Context(), l.ChatflowID); errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Chatflow %s not found in the database!", l.ChatflowID)
	} else if err != nil {
		return err
	}
	if l.ChatID == "" {
		l.ChatID = uuid.NewString()
	}
	if err := s.db.CreateLead(r.Context(), &l); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// listLeads is GET /api/v1/leads/{id} ({id} is the chatflow id): the
// chatflow's leads, oldest first.
func (s *Server) listLeads(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	leads, err := s.db.ListLeads(r.Context(), cf.ID)
	if err != nil {
		return err
	}
	if leads == nil {
		leads = []store.Lead{}
	}
	writeJSON(w, http.StatusOK, leads)
	return nil
}
