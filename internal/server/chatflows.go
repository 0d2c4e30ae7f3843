package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/store"
)

var chatflowTypes = []string{store.TypeChatflow, store.TypeAgentflow, store.TypeMultiAgent, store.TypeAssistant}

// applyChatflow copies the fields present in b onto cf, validating each.
// It never writes; callers save cf only when it returns nil.
func (s *Server) applyChatflow(r *http.Request, b body, cf *store.ChatFlow) error {
	if err := b.str("name", &cf.Name); err != nil {
		return err
	}
	var flowData *string
	if err := b.jsonText("flowData", &flowData, false); err != nil {
		return err
	}
	if b.has("flowData") {
		if flowData == nil {
			return errorf(http.StatusBadRequest, "field %q must not be null", "flowData")
		}
		cf.FlowData = *flowData
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{
		{"chatbotConfig", &cf.ChatbotConfig}, {"apiConfig", &cf.APIConfig}, {"analytic", &cf.Analytic},
		{"speechToText", &cf.SpeechToText}, {"textToSpeech", &cf.TextToSpeech}, {"followUpPrompts", &cf.FollowUpPrompts},
		{"mcpServerConfig", &cf.MCPServerConfig},
	} {
		if err := b.jsonText(f.name, f.dst, true); err != nil {
			return err
		}
	}
	if err := b.optStr("category", &cf.Category); err != nil {
		return err
	}
	if err := b.optBool("deployed", &cf.Deployed); err != nil {
		return err
	}
	if err := b.optBool("isPublic", &cf.IsPublic); err != nil {
		return err
	}
	if err := b.optStr("apikeyid", &cf.APIKeyID); err != nil {
		return err
	}
	if cf.APIKeyID != nil && *cf.APIKeyID == "" {
		cf.APIKeyID = nil
	}
	if cf.APIKeyID != nil {
		if _, err := s.db.GetAPIKey(r.Context(), *cf.APIKeyID); errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, "field %q: api key %s does not exist", "apikeyid", *cf.APIKeyID)
		} else if err != nil {
			return err
		}
	}
	if cf.Name == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "name")
	}
	if cf.FlowData == "" {
		return errorf(http.StatusBadRequest, "field %q is required", "flowData")
	}
	parsed, err := flow.Parse([]byte(cf.FlowData))
	if err != nil {
		return err
	}
	if err := b.str("type", &cf.Type); err != nil {
		return err
	}
	if cf.Type == "" {
		cf.Type = flow.DetectType(parsed)
	}
	if !slices.Contains(chatflowTypes, cf.Type) {
		return errorf(http.StatusBadRequest, "Invalid Chatflow Type %q (want one of CHATFLOW, AGENTFLOW, MULTIAGENT, ASSISTANT)", cf.Type)
	}
	return nil
}

func (s *Server) createChatflow(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var cf store.ChatFlow
	if err := s.applyChatflow(r, b, &cf); err != nil {
		return err
	}
	if err := s.db.CreateChatFlow(r.Context(), &cf); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cf)
	return nil
}

func (s *Server) getChatflow(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cf)
	return nil
}

// chatflow loads the chatflow named by the {id} path value.
func (s *Server) chatflow(r *http.Request) (*store.ChatFlow, error) {
	id, err := pathID(r, "Chatflow")
	if err != nil {
		return nil, err
	}
	cf, err := s.db.GetChatFlow(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, "Chatflow %s not found in the database!", id)
	}
	return cf, err
}

func (s *Server) listChatflows(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.ChatFlowFilter{Type: q.Get("type")}
	if f.Type != "" && !slices.Contains(chatflowTypes, f.Type) {
		return errorf(http.StatusBadRequest, "Invalid Chatflow Type %q (want one of CHATFLOW, AGENTFLOW, MULTIAGENT, ASSISTANT)", f.Type)
	}
	page, limit, paged, err := pagination(r)
	if err != nil {
		return err
	}
	if paged {
		f.Limit, f.Offset = limit, (page-1)*limit
	}
	flows, total, err := s.db.ListChatFlows(r.Context(), f)
	if err != nil {
		return err
	}
	if flows == nil {
		flows = []store.ChatFlow{}
	}
	if paged {
		writeJSON(w, http.StatusOK, map[string]any{"data": flows, "total": total})
		return nil
	}
	writeJSON(w, http.StatusOK, flows)
	return nil
}

// pagination reads Flowise's page/limit query parameters; paged is false
// unless both are given.
func pagination(r *http.Request) (page, limit int, paged bool, err error) {
	q := r.URL.Query()
	if q.Get("page") == "" && q.Get("limit") == "" {
		return 0, 0, false, nil
	}
	page, limit = 1, 10
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, false, errorf(http.StatusBadRequest, "query parameter %q must be a positive integer", "page")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			return 0, 0, false, errorf(http.StatusBadRequest, "query parameter %q must be an integer from 1 to 1000", "limit")
		}
	}
	return page, limit, true, nil
}

func (s *Server) updateChatflow(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	if err := s.applyChatflow(r, b, cf); err != nil {
		return err
	}
	if err := s.db.UpdateChatFlow(r.Context(), cf); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cf)
	return nil
}

func (s *Server) deleteChatflow(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteChatFlow(r.Context(), cf.ID); err != nil {
		return err
	}
	if err := s.blobs.DeleteChatflow(context.WithoutCancel(r.Context()), cf.ID); err != nil {
		s.log.WarnContext(r.Context(), "deleting a chatflow's files", "chatflow", cf.ID, "err", err)
	}
	writeJSON(w, http.StatusOK, deleted())
	return nil
}

// chatflowsByAPIKey lists the chatflows a key may call: those bound to it,
// and, unless ?keyonly is given, those bound to no key.
func (s *Server) chatflowsByAPIKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.verifyAPIKey(r.Context(), r.PathValue("apikey"))
	if err != nil {
		return err
	}
	_, keyOnly := r.URL.Query()["keyonly"]
	flows, err := s.db.ListChatFlowsByAPIKey(r.Context(), k.ID, keyOnly)
	if err != nil {
		return err
	}
	if flows == nil {
		flows = []store.ChatFlow{}
	}
	writeJSON(w, http.StatusOK, flows)
	return nil
}

// getPublicChatflow returns a chatflow marked isPublic with its secrets
// stripped from flowData; a private one only to an admin caller.
func (s *Server) getPublicChatflow(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	if cf.IsPublic != nil && *cf.IsPublic {
		clean, err := sanitizeFlowData(cf.FlowData)
		if err != nil {
			return err
		}
		cf.FlowData = clean
		writeJSON(w, http.StatusOK, cf)
		return nil
	}
	if err := s.authorizeAdmin(r); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cf)
	return nil
}
