package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/floehq/floe/internal/flow"
	"github.com/floehq/floe/internal/llm"
	"github.com/floehq/floe/internal/node"
)

// Engine runs chatflows. It is safe for concurrent use; each Run builds its
// own node instances.
type Engine struct {
	Nodes      *node.Registry
	Logger     *slog.Logger
	HTTPClient *http.Client
	// SafeClient, Files, DataDir and Memo are handed to nodes through
	// their runtime (see node.Runtime).
	SafeClient *http.Client
	Files      node.FileReader
	DataDir    string
	Memo       node.Memo
}

// Request is one chatflow run.
type Request struct {
	ChatflowID string
	ChatID     string
	SessionID  string
	Flow       *flow.Flow
	// Plan is Flow compiled by [Engine.Compile]; optional.
	Plan     *Plan
	Question string
	// History holds messages sent with the request, put before memory.
	History []llm.Message
	// Overrides is the request's overrideConfig; Permissions gates it.
	Overrides   map[string]any
	Permissions Permissions
	// Vars holds the stored variables ($vars.<name>).
	Vars map[string]string
	// FileAttachment is the text of full-file uploads.
	FileAttachment string
	// Images are the turn's image uploads, for vision models.
	Images []llm.Image
	// Credentials and Stored are the services nodes get: credential
	// decryption and stored chat history.
	Credentials node.CredentialResolver
	Stored      llm.HistoryReader
	// Emitter receives the ending node's events; nil discards them.
	Emitter node.Emitter
}

// Result is the ending node's output plus what the server reports about
// the run.
type Result struct {
	node.RunOutput
	// MemoryType is the label of the flow's memory node ("" without one).
	MemoryType string
}

// MemoryNode returns Flowise's memory node of a flow: the first node of
// category Memory that is the source of an edge, or nil.
func MemoryNode(f *flow.Flow) *flow.Node {
	sources := map[string]bool{}
	for _, e := range f.Edges {
		sources[e.Source] = true
	}
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Data.Category == "Memory" && sources[n.ID] {
			return n
		}
	}
	return nil
}

// paramInfo is what the engine needs of an input param.
type paramInfo struct {
	Name           string `json:"name"`
	Type           string `json:"type"`
	AcceptVariable bool   `json:"acceptVariable"`
	Optional       bool   `json:"optional"`
}

// Plan is a flow prepared for running: its ending node, build order and
// input params, computed once. A Plan is immutable and safe to share
// between concurrent runs; cache it per saved flow.
type Plan struct {
	flow   *flow.Flow
	end    *flow.Node
	order  []string
	mem    *flow.Node
	params map[string]map[string]paramInfo // node id → param name → info
	// skip holds the nodes a prediction does not build: document loaders
	// (and their splitters and record managers) that only feed vector
	// stores, whose data was upserted already.
	skip map[string]bool
}

// Compile prepares f for [Engine.Run]. Errors wrap [ErrUnrunnable].
func (e *Engine) Compile(f *flow.Flow) (*Plan, error) {
	end, err := f.EndingNode()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnrunnable, err)
	}
	order, err := f.Order(end.ID)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnrunnable, err)
	}
	p := &Plan{flow: f, end: end, order: order, mem: MemoryNode(f), params: map[string]map[string]paramInfo{}}
	if p.mem != nil && slices.Contains(order, p.mem.ID) {
		// Build the memory first so {{chat_history}} can read it anywhere.
		p.order = append([]string{p.mem.ID}, slices.DeleteFunc(slices.Clone(order), func(id string) bool { return id == p.mem.ID })...)
	}
	for _, id := range p.order {
		p.params[id] = e.nodeParams(f.Node(id))
	}
	p.skip = upsertOnly(f)
	return p, nil
}

// upsertOnly finds the nodes that exist only to fill vector stores:
// document loaders and record managers whose every outgoing edge goes to a
// vector store, and then splitters (or anything) whose every outgoing edge
// goes to such nodes. Flowise skips loaders this way (its
// checkIfDocLoaderShouldBeIgnored); Floe also skips them for the in-memory
// store, which keeps its upserted contents between runs.
func upsertOnly(f *flow.Flow) map[string]bool {
	out := map[string][]string{}
	for _, e := range f.Edges {
		out[e.Source] = append(out[e.Source], e.Target)
	}
	category := map[string]string{}
	for _, n := range f.Nodes {
		category[n.ID] = n.Data.Category
	}
	skip := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, n := range f.Nodes {
			targets := out[n.ID]
			if skip[n.ID] || len(targets) == 0 {
				continue
			}
			starter := n.Data.Category == "Document Loaders" || n.Data.Category == "Record Manager"
			all := true
			for _, t := range targets {
				if !(skip[t] || (starter && category[t] == "Vector Stores")) {
					all = false
					break
				}
			}
			if all {
				skip[n.ID] = true
				changed = true
			}
		}
	}
	return skip
}

// nodeParams reads a node's input params from its saved inputParams, and
// from the registered spec for params the saved node lacks.
func (e *Engine) nodeParams(n *flow.Node) map[string]paramInfo {
	params := map[string]paramInfo{}
	for _, raw := range n.Data.InputParams {
		var pi paramInfo
		if json.Unmarshal(raw, &pi) == nil && pi.Name != "" {
			params[pi.Name] = pi
		}
	}
	if def, err := e.Nodes.Lookup(n.Data.Name); err == nil {
		for _, pr := range def.Spec.Inputs {
			if _, ok := params[pr.Name]; !ok {
				params[pr.Name] = paramInfo{Name: pr.Name, Type: pr.Type, AcceptVariable: pr.AcceptVariable, Optional: pr.Optional}
			}
		}
	}
	return params
}

// Run builds the flow and runs its ending node. req.Plan is used when set
// (it must come from req.Flow); otherwise the flow is compiled first.
func (e *Engine) Run(ctx context.Context, req Request) (*Result, error) {
	plan := req.Plan
	if plan == nil {
		var err error
		if plan, err = e.Compile(req.Flow); err != nil {
			return nil, err
		}
	}
	end, order, mem := plan.end, plan.order, plan.mem
	sc := &scope{
		question:       req.Question,
		instances:      map[string]any{},
		vars:           req.Vars,
		fileAttachment: req.FileAttachment,
		flowVars: map[string]any{
			"chatflowid": req.ChatflowID, "chatflowId": req.ChatflowID,
			"chatId": req.ChatID, "sessionId": req.SessionID, "input": req.Question,
		},
	}
	sc.chatHistory = func(ctx context.Context) (string, error) {
		msgs := slices.Clone(req.History)
		if mem != nil {
			if m, ok := sc.instances[mem.ID].(llm.Memory); ok {
				stored, err := m.Messages(ctx, req.SessionID)
				if err != nil {
					return "", &NodeError{NodeID: mem.ID, NodeName: mem.Data.Name, Err: fmt.Errorf("reading chat history: %w", err)}
				}
				msgs = append(msgs, stored...)
			}
		}
		return historyText(msgs), nil
	}
	var closers []func(context.Context) error
	defer func() {
		for _, c := range slices.Backward(closers) {
			if err := c(context.WithoutCancel(ctx)); err != nil {
				e.log().Warn("closing node instance", "err", err)
			}
		}
	}()
	rt := e.runtime(req)
	for _, id := range order {
		if plan.skip[id] {
			sc.instances[id] = nil // upserted already: not needed to answer
			continue
		}
		n := plan.flow.Node(id)
		inst, err := e.build(ctx, n, plan.params[id], sc, req, rt)
		if err != nil {
			return nil, err
		}
		sc.instances[id] = inst
		if c, ok := inst.(interface{ Close(context.Context) error }); ok {
			closers = append(closers, c.Close)
		}
	}
	runner, ok := sc.instances[end.ID].(node.Runner)
	if !ok {
		return nil, unrunnable(end.ID, end.Data.Name, "ending node cannot answer a question (output %v)", end.Data.Outputs["output"])
	}
	emit := req.Emitter
	if emit == nil {
		emit = node.Discard
	}
	out, err := runner.Run(ctx, node.RunInput{
		Question: req.Question, History: req.History, SessionID: req.SessionID, ChatID: req.ChatID, Vars: req.Vars,
		Images: req.Images,
	}, emit)
	res := &Result{RunOutput: out}
	if mem != nil {
		res.MemoryType = mem.Data.Label
	}
	if err != nil {
		return res, &NodeError{NodeID: end.ID, NodeName: end.Data.Name, Err: err}
	}
	return res, nil
}

func (e *Engine) log() *slog.Logger {
	if e.Logger == nil {
		return slog.Default()
	}
	return e.Logger
}

// build instantiates one node: overrides, reference resolution, Init.
func (e *Engine) build(ctx context.Context, n *flow.Node, params map[string]paramInfo, sc *scope, req Request, rt node.Runtime) (any, error) {
	def, err := e.Nodes.Lookup(n.Data.Name)
	if err != nil {
		return nil, unrunnable(n.ID, n.Data.Name, "unknown node type %q", n.Data.Name)
	}
	inputs := deepCopy(n.Data.Inputs)
	applyOverrides(n, inputs, req.Overrides, req.Permissions)
	for _, k := range slices.Sorted(maps.Keys(inputs)) {
		v, err := sc.resolveInput(ctx, inputs[k], params[k].AcceptVariable)
		if err != nil {
			return nil, &NodeError{NodeID: n.ID, NodeName: n.Data.Name, Err: fmt.Errorf("input %q: %w", k, err)}
		}
		inputs[k] = v
	}
	for _, p := range def.Spec.Inputs {
		if p.Optional || !isAnchor(p.Type) || refersToSkipped(n.Data.Inputs[p.Name], sc) {
			continue
		}
		if v, ok := inputs[p.Name]; !ok || v == nil || v == "" {
			return nil, unrunnable(n.ID, n.Data.Name, "required input %q (%s) is not connected", p.Name, p.Type)
		}
	}
	data := &node.Data{ID: n.ID, Name: n.Data.Name, Label: n.Data.Label, Inputs: inputs, Outputs: n.Data.Outputs, Credential: n.Data.Credential}
	inst, err := def.Init(ctx, data, &rt)
	if err != nil {
		var ne *NodeError
		if errors.As(err, &ne) {
			return nil, err
		}
		return nil, &NodeError{NodeID: n.ID, NodeName: n.Data.Name, Err: err}
	}
	return inst, nil
}

// refersToSkipped reports whether a saved input value references nodes
// that exist but were not built (upsert-only nodes in a prediction).
func refersToSkipped(v any, sc *scope) bool {
	refs := []any{v}
	if list, ok := v.([]any); ok {
		refs = list
	}
	for _, r := range refs {
		s, _ := r.(string)
		if id, ok := wholeInstanceRef(s); ok {
			if inst, found := sc.instances[id]; found && inst == nil {
				return true
			}
		}
	}
	return false
}

// isAnchor reports whether a param type is a class name (a connection).
func isAnchor(t string) bool {
	return t != "" && t[0] >= 'A' && t[0] <= 'Z' && !strings.Contains(t, " ")
}

func deepCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return deepCopy(t)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = copyValue(x)
		}
		return out
	}
	return v
}
