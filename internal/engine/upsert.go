package engine

import (
	"context"
	"fmt"

	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// UpsertTarget picks the vector store node an upsert fills: stopNodeID
// when given (it must be a vector store), else the flow's only vector
// store. Errors wrap [ErrUnrunnable].
func UpsertTarget(f *flow.Flow, stopNodeID string) (*flow.Node, error) {
	if stopNodeID != "" {
		n := f.Node(stopNodeID)
		if n == nil {
			return nil, fmt.Errorf("stopNodeId %q is not a node of this flow: %w", stopNodeID, ErrUnrunnable)
		}
		if n.Data.Category != "Vector Stores" {
			return nil, fmt.Errorf("stopNodeId %q is a %s node, not a vector store: %w", stopNodeID, n.Data.Category, ErrUnrunnable)
		}
		return n, nil
	}
	var found []*flow.Node
	for i := range f.Nodes {
		if f.Nodes[i].Data.Category == "Vector Stores" {
			found = append(found, &f.Nodes[i])
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("the flow has no vector store to upsert into: %w", ErrUnrunnable)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("the flow has %d vector stores: name one with stopNodeId: %w", len(found), ErrUnrunnable)
}

// Upsert builds the target vector store node with everything feeding it
// (loaders included) and stores their documents.
func (e *Engine) Upsert(ctx context.Context, req Request, target *flow.Node) (llm.UpsertResult, error) {
	order, err := req.Flow.Order(target.ID)
	if err != nil {
		return llm.UpsertResult{}, fmt.Errorf("%w: %w", ErrUnrunnable, err)
	}
	sc := &scope{
		question: req.Question, instances: map[string]any{}, vars: req.Vars, fileAttachment: req.FileAttachment,
		flowVars: map[string]any{"chatflowid": req.ChatflowID, "chatflowId": req.ChatflowID, "chatId": req.ChatID, "sessionId": req.SessionID},
	}
	rt := e.runtime(req)
	rt.Upsert = true
	var closers []func(context.Context) error
	defer func() {
		for i := len(closers) - 1; i >= 0; i-- {
			_ = closers[i](context.WithoutCancel(ctx))
		}
	}()
	for _, id := range order {
		n := req.Flow.Node(id)
		inst, err := e.build(ctx, n, e.nodeParams(n), sc, req, rt)
		if err != nil {
			return llm.UpsertResult{}, err
		}
		sc.instances[id] = inst
		if c, ok := inst.(interface{ Close(context.Context) error }); ok {
			closers = append(closers, c.Close)
		}
	}
	up, ok := sc.instances[target.ID].(llm.Upserter)
	if !ok {
		return llm.UpsertResult{}, unrunnable(target.ID, target.Data.Name, "this vector store cannot be upserted")
	}
	res, err := up.Upsert(ctx)
	if err != nil {
		return res, &NodeError{NodeID: target.ID, NodeName: target.Data.Name, Err: err}
	}
	return res, nil
}

// runtime is the node runtime of a request.
func (e *Engine) runtime(req Request) node.Runtime {
	return node.Runtime{
		Logger: e.log(), HTTPClient: e.HTTPClient, SafeClient: e.SafeClient, ChatflowID: req.ChatflowID, ChatID: req.ChatID,
		SessionID: req.SessionID, Vars: req.Vars, Question: req.Question, Credentials: req.Credentials,
		History: req.Stored, Files: e.Files, DataDir: e.DataDir, Memo: e.Memo,
	}
}
