package server

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/floehq/floe/internal/store"
)

// maxFeedbackLen bounds feedback content: a comment typed in the chat
// widget, longer than the other free-text fields.
const maxFeedbackLen = 4096

// createFeedback is POST /api/v1/feedback and POST /api/v1/feedback/{id}
// (the chat widget's form; {id} is the chatflow id). It is public: the
// message id, a UUID only the chat's participants see, is the credential.
// The message must exist and belong to the chatflow and chat given (each
// is taken from the message when absent). A message takes one feedback; a
// second is 409 (Flowise fails on its unique index), the widget updates
// with PUT.
func (s *Server) createFeedback(w http.ResponseWriter, r *http.Request) error {
	var pathFlow string
	if r.PathValue("id") != "" {
		id, err := pathID(r, "Chatflow")
		if err != nil {
			return err
		}
		pathFlow = id
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var fb store.Feedback
	if fb.MessageID, err = requiredString(b, "messageId"); err != nil {
		return err
	}
	if !uuidRE.MatchString(fb.MessageID) {
		return errorf(http.StatusBadRequest, "field %q must be a UUID", "messageId")
	}
	var flowID, chatID string
	if err := b.str("chatflowid", &flowID); err != nil {
		return err
	}
	if flowID != "" && !uuidRE.MatchString(flowID) {
		return errorf(http.StatusBadRequest, "Invalid Chatflow ID")
	}
	if pathFlow != "" {
		if flowID != "" && flowID != pathFlow {
			return errorf(http.StatusBadRequest, "field %q (%s) differs from the chatflow in the path (%s)", "chatflowid", flowID, pathFlow)
		}
		flowID = pathFlow
	}
	if err := b.str("chatId", &chatID); err != nil {
		return err
	}
	if err := checkChatID("chatId", chatID); err != nil {
		return err
	}
	if err := b.str("rating", &fb.Rating); err != nil {
		return err
	}
	if !slices.Contains(feedbackRatings, fb.Rating) {
		return errorf(http.StatusBadRequest, "field %q must be THUMBS_UP or THUMBS_DOWN", "rating")
	}
	if err := feedbackContent(b, &fb); err != nil {
		return err
	}
	msg, err := s.db.GetChatMessage(r.Context(), fb.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Message with ID %s not found", fb.MessageID)
	} else if err != nil {
		return err
	}
	if err := sameMessage(msg, flowID, chatID); err != nil {
		return err
	}
	fb.ChatflowID, fb.ChatID = msg.ChatflowID, msg.ChatID
	switch err := s.db.CreateFeedback(r.Context(), &fb); {
	case errors.Is(err, store.ErrConflict):
		return errorf(http.StatusConflict, "message %s already has feedback: update it with PUT /api/v1/feedback/{id}", fb.MessageID)
	case errors.Is(err, store.ErrNotFound): // deleted meanwhile
		return errorf(http.StatusNotFound, "Message with ID %s not found", fb.MessageID)
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, fb)
	return nil
}

// sameMessage checks the chatflow and chat ids a client gave against the
// message's, in Flowise's words; empty ids are not checked.
func sameMessage(msg *store.ChatMessage, flowID, chatID string) error {
	if flowID != "" && flowID != msg.ChatflowID {
		return errorf(http.StatusBadRequest, "Inconsistent chatflow ID: message with ID %s does not belong to chatflow with ID %s", msg.ID, flowID)
	}
	if chatID != "" && chatID != msg.ChatID {
		return errorf(http.StatusBadRequest, "Inconsistent chat ID: message with ID %s does not belong to chat with ID %s", msg.ID, chatID)
	}
	return nil
}

// feedbackContent reads the optional content field into fb (null clears it).
func feedbackContent(b body, fb *store.Feedback) error {
	if err := b.optStr("content", &fb.Content); err != nil {
		return err
	}
	if fb.Content != nil && len(*fb.Content) > maxFeedbackLen {
		return errorf(http.StatusBadRequest, "field %q is longer than %d bytes", "content", maxFeedbackLen)
	}
	return nil
}

// checkChatID bounds a chat or session id taken from a request body.
func checkChatID(field, id string) error {
	if len(id) > maxChatIDLen || strings.ContainsFunc(id, unicode.IsControl) {
		return errorf(http.StatusBadRequest, "field %q must be at most %d bytes without control characters", field, maxChatIDLen)
	}
	return nil
}

// updateFeedback is PUT /api/v1/feedback/{id}: the widget adds a comment or
// changes the rating of the feedback it created. It is public like Flowise's
// (the feedback id, returned only to its creator, is the credential). Only
// rating and content change; messageId, chatId and chatflowid may be sent
// but must match the stored ones.
func (s *Server) updateFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "Feedback")
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	fb, err := s.db.GetFeedback(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Feedback with ID %s not found", id)
	} else if err != nil {
		return err
	}
	var msgID, flowID, chatID string
	for _, f := range []struct {
		name string
		dst  *string
	}{{"messageId", &msgID}, {"chatflowid", &flowID}, {"chatId", &chatID}} {
		if err := b.str(f.name, f.dst); err != nil {
			return err
		}
	}
	if msgID != "" && msgID != fb.MessageID {
		return errorf(http.StatusBadRequest, "field %q: feedback %s is on message %s, it cannot be moved", "messageId", id, fb.MessageID)
	}
	msg := &store.ChatMessage{ID: fb.MessageID, ChatflowID: fb.ChatflowID, ChatID: fb.ChatID}
	if err := sameMessage(msg, flowID, chatID); err != nil {
		return err
	}
	if b.has("rating") {
		if err := b.str("rating", &fb.Rating); err != nil {
			return err
		}
		if !slices.Contains(feedbackRatings, fb.Rating) {
			return errorf(http.StatusBadRequest, "field %q must be THUMBS_UP or THUMBS_DOWN", "rating")
		}
	}
	if err := feedbackContent(b, fb); err != nil {
		return err
	}
	if err := s.db.UpdateFeedback(r.Context(), fb); errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Feedback with ID %s not found", id)
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "OK"})
	return nil
}

// listFeedback is GET /api/v1/feedback/{id} ({id} is the chatflow id),
// with ?chatId, ?order, ?startDate and ?endDate. Flowise serves it without
// auth, which shows every chat's feedback to anyone; Floe makes it admin.
func (s *Server) listFeedback(w http.ResponseWriter, r *http.Request) error {
	cf, err := s.chatflow(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.FeedbackFilter{ChatflowID: cf.ID}
	if f.ChatID, err = queryOnce(q, "chatId"); err != nil {
		return err
	}
	if len(f.ChatID) > maxChatIDLen {
		return errorf(http.StatusBadRequest, "query parameter %q is longer than %d bytes", "chatId", maxChatIDLen)
	}
	if f.Descending, err = queryOrder(q); err != nil {
		return err
	}
	if f.StartDate, f.EndDate, err = queryDates(q); err != nil {
		return err
	}
	fbs, err := s.db.ListFeedback(r.Context(), f)
	if err != nil {
		return err
	}
	if fbs == nil {
		fbs = []store.Feedback{}
	}
	writeJSON(w, http.StatusOK, fbs)
	return nil
}
