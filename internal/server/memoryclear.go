package server

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/engine"
	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/store"
)

// clearFlowMemory clears the third-party memories (Redis, ...) of a
// chatflow's memory nodes for one session; memoryType, when set, limits it
// to the memory node with that label. Memories kept in chat_message are
// cleared by deleting the rows.
func (s *Server) clearFlowMemory(ctx context.Context, cf *store.ChatFlow, sessionID, memoryType string) error {
	f, err := flow.Parse([]byte(cf.FlowData))
	if err != nil {
		return nil // nothing runnable, nothing to clear
	}
	vars, err := s.variables(ctx)
	if err != nil {
		return err
	}
	req := engine.Request{ChatflowID: cf.ID, ChatID: sessionID, SessionID: sessionID, Flow: f, Vars: vars,
		Credentials: credentialResolver{s}, Stored: historyReader{db: s.db}}
	if err := s.engine.ClearMemory(ctx, req, memoryType); err != nil {
		return fmt.Errorf("clearing chat memory: %w", err)
	}
	return nil
}
