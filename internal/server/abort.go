package server

import (
	"context"
	"net/http"
	"sync"
)

// runs tracks the predictions in progress on this server so that the
// abort route can cancel them, keyed "<chatflowId>_<chatId>" as Flowise's
// AbortControllerPool.
type runs struct {
	mu sync.Mutex
	// guards active
	active map[string]context.CancelCauseFunc
}

func newRuns() *runs { return &runs{active: map[string]context.CancelCauseFunc{}} }

// errAborted is the cause of a run cancelled through the abort route.
var errAborted = &apiError{Status: 499, Message: "Chat message aborted"}

// start registers a run and returns the context it must use and the
// function that unregisters it.
func (r *runs) start(ctx context.Context, chatflowID, chatID string) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	key := chatflowID + "_" + chatID
	r.mu.Lock()
	if prev, ok := r.active[key]; ok {
		prev(errAborted) // a newer request for the same chat replaces the old one
	}
	r.active[key] = cancel
	r.mu.Unlock()
	return ctx, func() {
		r.mu.Lock()
		if _, ok := r.active[key]; ok {
			delete(r.active, key)
		}
		r.mu.Unlock()
		cancel(context.Canceled)
	}
}

// abort cancels the run of a chat; false when none is running here.
func (r *runs) abort(chatflowID, chatID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	cancel, ok := r.active[chatflowID+"_"+chatID]
	if ok {
		cancel(errAborted)
		delete(r.active, chatflowID+"_"+chatID)
	}
	return ok
}

// abortChatMessage is PUT /api/v1/chatmessage/abort/{chatflowid}/{chatid}.
func (s *Server) abortChatMessage(w http.ResponseWriter, r *http.Request) error {
	flowID := r.PathValue("chatflowid")
	if !uuidRE.MatchString(flowID) {
		return errorf(http.StatusBadRequest, "Invalid Chatflow ID")
	}
	chatID := r.PathValue("chatid")
	if err := validChatID(chatID); err != nil {
		return err
	}
	s.runs.abort(flowID, chatID)
	writeJSON(w, http.StatusOK, map[string]any{"status": 200, "message": "Chat message aborted"})
	return nil
}
