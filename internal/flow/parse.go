package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrInvalidFlow matches every [*ValidationError] under errors.Is.
var ErrInvalidFlow = errors.New("flow: invalid flowData")

// ValidationError reports flowData that cannot be used: not JSON, the wrong
// shape, or nodes and edges that do not fit together. Its message names the
// offending node or edge, e.g. `flowData: edge "e1" targets missing node
// "llmChain_9"`.
type ValidationError struct {
	// Reason says what is wrong.
	Reason string
	// Err is the underlying cause, such as a JSON syntax error, or nil.
	Err error
}

// Error returns "flowData: " followed by the reason.
func (e *ValidationError) Error() string { return "flowData: " + e.Reason }

// Unwrap returns the underlying cause.
func (e *ValidationError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrInvalidFlow].
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidFlow }

func invalidf(format string, args ...any) error {
	return &ValidationError{Reason: fmt.Sprintf(format, args...)}
}

// Parse decodes and validates flowData. It checks that data is a JSON object
// whose "nodes" is an array and whose "edges", when present and not null, is
// an array; that every node is an object with a non-empty, unique string id;
// that every node but sticky notes names its component in data.name; and
// that every edge has a source and a target naming existing nodes. Nodes are
// referred to by their id or, lacking one, by their 0-based index, and edges
// likewise. Anchors and handles are not checked against node specs here.
//
// Every error is a [*ValidationError].
func Parse(data []byte) (*Flow, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		if !json.Valid(data) {
			return nil, &ValidationError{Reason: "invalid JSON: " + err.Error(), Err: err}
		}
		return nil, invalidf("must be a JSON object, got %s", kindOf(data))
	}
	if top == nil {
		return nil, invalidf("must be a JSON object, got null")
	}
	rawNodes, err := array(top, "nodes", true)
	if err != nil {
		return nil, err
	}
	rawEdges, err := array(top, "edges", false)
	if err != nil {
		return nil, err
	}

	f := &Flow{Nodes: make([]Node, 0, len(rawNodes)), Edges: make([]Edge, 0, len(rawEdges))}
	seen := make(map[string]bool, len(rawNodes))
	for i, raw := range rawNodes {
		n, err := parseNode(i, raw)
		if err != nil {
			return nil, err
		}
		if seen[n.ID] {
			return nil, invalidf("duplicate node id %q", n.ID)
		}
		seen[n.ID] = true
		f.Nodes = append(f.Nodes, n)
	}
	for i, raw := range rawEdges {
		e, err := parseEdge(i, raw, seen)
		if err != nil {
			return nil, err
		}
		f.Edges = append(f.Edges, e)
	}
	return f, nil
}

// array returns top[key] as a list of raw elements. A missing or null key
// is an error only when required.
func array(top map[string]json.RawMessage, key string, required bool) ([]json.RawMessage, error) {
	raw, ok := top[key]
	if !ok || (!required && kindOf(raw) == "null") {
		if required {
			return nil, invalidf("missing %q array", key)
		}
		return nil, nil
	}
	var list []json.RawMessage
	if kindOf(raw) != "array" || json.Unmarshal(raw, &list) != nil {
		return nil, invalidf("%q must be an array, got %s", key, kindOf(raw))
	}
	return list, nil
}

func parseNode(i int, raw json.RawMessage) (Node, error) {
	if kindOf(raw) != "object" {
		return Node{}, invalidf("node %d must be an object, got %s", i, kindOf(raw))
	}
	var head struct {
		ID json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(raw, &head) // raw is a valid object
	var id string
	if len(head.ID) == 0 || kindOf(head.ID) == "null" {
		return Node{}, invalidf("node %d has no id", i)
	}
	if err := json.Unmarshal(head.ID, &id); err != nil {
		return Node{}, invalidf("node %d: id must be a string, got %s", i, kindOf(head.ID))
	}
	if id == "" {
		return Node{}, invalidf("node %d has no id", i)
	}
	var n Node
	if err := json.Unmarshal(raw, &n); err != nil {
		return Node{}, &ValidationError{Reason: fmt.Sprintf("node %q: %v", id, jsonReason(err)), Err: err}
	}
	if n.Data.Name == "" && !n.IsStickyNote() {
		return Node{}, invalidf("node %q has no data.name", id)
	}
	return n, nil
}

func parseEdge(i int, raw json.RawMessage, nodes map[string]bool) (Edge, error) {
	if kindOf(raw) != "object" {
		return Edge{}, invalidf("edge %d must be an object, got %s", i, kindOf(raw))
	}
	var e Edge
	if err := json.Unmarshal(raw, &e); err != nil {
		return Edge{}, &ValidationError{Reason: fmt.Sprintf("edge %d: %v", i, jsonReason(err)), Err: err}
	}
	name := fmt.Sprintf("%q", e.ID)
	if e.ID == "" {
		name = fmt.Sprint(i)
	}
	switch {
	case e.Source == "":
		return Edge{}, invalidf("edge %s has no source", name)
	case e.Target == "":
		return Edge{}, invalidf("edge %s has no target", name)
	case !nodes[e.Source]:
		return Edge{}, invalidf("edge %s comes from missing node %q", name, e.Source)
	case !nodes[e.Target]:
		return Edge{}, invalidf("edge %s targets missing node %q", name, e.Target)
	}
	return e, nil
}

// jsonReason shortens a decoding error to what the user can act on.
func jsonReason(err error) string {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		return fmt.Sprintf("%s must be %s, got %s", te.Field, kindForGo(te.Type.Kind().String()), te.Value)
	}
	return err.Error()
}

// kindForGo names the JSON kind a Go kind decodes from.
func kindForGo(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "float64", "int", "int64":
		return "a number"
	}
	return k
}

// kindOf names the JSON kind of a valid JSON value from its first byte.
func kindOf(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
