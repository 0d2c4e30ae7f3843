package engine

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/llm"
)

// ClearMemory clears a session in every memory node of req.Flow (only the
// one labelled memoryType when it is set): Flowise's clearSessionMemory.
// Each memory node is built with what it depends on; memories kept in the
// chat_message table clear nothing, the caller deletes the rows.
func (e *Engine) ClearMemory(ctx context.Context, req Request, memoryType string) error {
	for i := range req.Flow.Nodes {
		n := &req.Flow.Nodes[i]
		if n.Data.Category != "Memory" || (memoryType != "" && n.Data.Label != memoryType) {
			continue
		}
		order, err := req.Flow.Order(n.ID)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUnrunnable, err)
		}
		sc := &scope{instances: map[string]any{}, vars: req.Vars, flowVars: map[string]any{}}
		rt := e.runtime(req)
		for _, id := range order {
			n := req.Flow.Node(id)
			inst, err := e.build(ctx, n, e.nodeParams(n), sc, req, rt)
			if err != nil {
				return err
			}
			sc.instances[id] = inst
		}
		mem, ok := sc.instances[n.ID].(llm.Memory)
		if ok {
			if err := mem.Clear(ctx, req.SessionID); err != nil {
				return &NodeError{NodeID: n.ID, NodeName: n.Data.Name, Err: fmt.Errorf("clearing session: %w", err)}
			}
		}
		for _, inst := range sc.instances {
			if c, ok := inst.(interface{ Close(context.Context) error }); ok {
				_ = c.Close(ctx)
			}
		}
	}
	return nil
}
