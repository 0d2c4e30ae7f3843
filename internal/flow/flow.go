// Package flow is the canvas model saved in a chatflow's flowData: [Flow]
// with its nodes and edges, [Parse] to read and validate it, and
// [DetectType] to tell chatflows from agentflows.
//
// The package is pure: no I/O, no globals. The model keeps what the engine
// and the server need (ids, data, inputs, anchors, edges) and drops layout
// fields, so marshalling a parsed Flow is not a lossless export; code that
// rewrites stored flowData (export, credential stripping) should work on the
// raw JSON.
package flow

import (
	"encoding/json"
	"fmt"
)

// Chatflow types, as stored in the chat_flow.type column.
const (
	TypeChatflow  = "CHATFLOW"
	TypeAgentflow = "AGENTFLOW"
)

// Node types (the React Flow node "type") that flowData uses.
const (
	// NodeTypeCustom is every Chatflow (V1) node except sticky notes.
	NodeTypeCustom = "customNode"
	// NodeTypeStickyNote is a sticky note, in V1 and V2.
	NodeTypeStickyNote = "stickyNote"
	// NodeTypeAgentFlow is every Agentflow V2 node except sticky notes and
	// iterations.
	NodeTypeAgentFlow = "agentFlow"
	// NodeTypeIteration is the Agentflow V2 iteration container.
	NodeTypeIteration = "iteration"
)

// Flow is a saved canvas: flowData's {nodes, edges}. The viewport is UI only
// and not kept.
type Flow struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// Node is one canvas node.
type Node struct {
	// ID is the node id, e.g. "chatOpenAI_0"; it equals Data.ID.
	ID string `json:"id"`
	// Type is the React Flow node type; see the NodeType constants.
	Type string `json:"type,omitempty"`
	// Position is the node's place on the canvas (UI only).
	Position Position `json:"position"`
	// ParentNode is the id of the enclosing iteration node (Agentflow V2),
	// or "".
	ParentNode string `json:"parentNode,omitempty"`
	// Extent is "parent" for a node confined to its parent.
	Extent string `json:"extent,omitempty"`
	// Data is the node's component and configuration.
	Data NodeData `json:"data"`
}

// Position is a canvas coordinate.
type Position struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// NodeData is a node's "data" object: which component it is and how it is
// configured (Flowise's INodeData plus the UI's anchors).
type NodeData struct {
	ID          string   `json:"id"`
	Label       string   `json:"label,omitempty"`
	Name        string   `json:"name"`
	Version     float64  `json:"version,omitempty"`
	Type        string   `json:"type,omitempty"`
	Category    string   `json:"category,omitempty"`
	Description string   `json:"description,omitempty"`
	BaseClasses []string `json:"baseClasses,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Color       string   `json:"color,omitempty"`
	HideInput   bool     `json:"hideInput,omitempty"`
	HideOutput  bool     `json:"hideOutput,omitempty"`
	// Inputs maps param names to saved values. It is the only runtime
	// configuration: connections appear here as "{{nodeId.data.instance}}".
	Inputs map[string]any `json:"inputs,omitempty"`
	// Outputs holds the chosen output of multi-output nodes as
	// Outputs["output"].
	Outputs map[string]any `json:"outputs,omitempty"`
	// Credential is the id of the selected credential, or "".
	Credential string `json:"credential,omitempty"`
	// InputParams are the value fields as the UI saved them (node.Param
	// plus an "id"); kept raw because the engine reads specs from the
	// registry instead.
	InputParams []json.RawMessage `json:"inputParams,omitempty"`
	// InputAnchors are the connection points of a V1 node.
	InputAnchors []Anchor `json:"inputAnchors,omitempty"`
	// OutputAnchors are the node's output handles.
	OutputAnchors []Anchor `json:"outputAnchors,omitempty"`
}

// Anchor is a saved input or output handle. A multi-output V1 node has one
// output anchor of Type "options" whose Options are the selectable outputs.
// Agentflow V2 condition nodes save numeric names and labels (0, 1, ...);
// decoding turns them into strings ("0", "1", ...).
type Anchor struct {
	// ID is the handle id, e.g.
	// "chatOpenAI_0-output-chatOpenAI-ChatOpenAI|BaseChatModel".
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Label       string `json:"label,omitempty"`
	Description string `json:"description,omitempty"`
	// Type is the anchor's class name (input) or its base classes joined
	// by " | " (output).
	Type    string   `json:"type,omitempty"`
	List    bool     `json:"list,omitempty"`
	Options []Anchor `json:"options,omitempty"`
	Default any      `json:"default,omitempty"`
}

// Edge connects an output handle of Source to an input handle of Target.
type Edge struct {
	ID           string `json:"id,omitempty"`
	Source       string `json:"source"`
	SourceHandle string `json:"sourceHandle,omitempty"`
	Target       string `json:"target"`
	TargetHandle string `json:"targetHandle,omitempty"`
	// Type is "buttonedge" (V1) or "agentFlow" (V2).
	Type string `json:"type,omitempty"`
	// Data holds V2 edge details such as edgeLabel; nil in most V1 flows.
	Data map[string]any `json:"data,omitempty"`
}

// IsStickyNote reports whether n is a sticky note, which never runs and
// needs no component name.
func (n *Node) IsStickyNote() bool {
	return n.Type == NodeTypeStickyNote || n.Data.Name == "stickyNote" || n.Data.Name == "stickyNoteAgentflow"
}

// Node returns the node with the given id, or nil.
func (f *Flow) Node(id string) *Node {
	for i := range f.Nodes {
		if f.Nodes[i].ID == id {
			return &f.Nodes[i]
		}
	}
	return nil
}

// UnmarshalJSON decodes an anchor, accepting numbers and booleans where
// Flowise sometimes saves them instead of strings.
func (a *Anchor) UnmarshalJSON(data []byte) error {
	type plain Anchor // no methods, so no recursion
	var aux struct {
		plain
		ID          json.RawMessage `json:"id"`
		Name        json.RawMessage `json:"name"`
		Label       json.RawMessage `json:"label"`
		Description json.RawMessage `json:"description"`
		Type        json.RawMessage `json:"type"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*a = Anchor(aux.plain)
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		dst  *string
	}{
		{"id", aux.ID, &a.ID},
		{"name", aux.Name, &a.Name},
		{"label", aux.Label, &a.Label},
		{"description", aux.Description, &a.Description},
		{"type", aux.Type, &a.Type},
	} {
		s, err := scalarText(f.raw)
		if err != nil {
			return fmt.Errorf("anchor %s: %w", f.name, err)
		}
		*f.dst = s
	}
	return nil
}

// scalarText returns a JSON string's value, or a number's or boolean's
// literal text; null and absent give "".
func scalarText(raw json.RawMessage) (string, error) {
	switch kindOf(raw) {
	case "nothing", "null":
		return "", nil
	case "string":
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case "number", "boolean":
		return string(raw), nil
	}
	return "", fmt.Errorf("got %s, want a string", kindOf(raw))
}
