package engine

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnrunnable marks errors caused by the flow as saved (an unknown node
// type, a missing required input, no ending node): the caller's flow is
// wrong, not the server, so the API answers 400.
var ErrUnrunnable = errors.New("engine: flow cannot run")

// NodeError is a failure of one node, with the path of nodes that led to it
// (outermost first, for nested flows and agent tools).
type NodeError struct {
	NodeID   string
	NodeName string
	Path     []string
	Err      error
}

func (e *NodeError) Error() string {
	path := e.NodeID
	if len(e.Path) > 0 {
		path = strings.Join(append(append([]string{}, e.Path...), e.NodeID), " > ")
	}
	return fmt.Sprintf("node %s (%s): %v", path, e.NodeName, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// unrunnable wraps err as a flow-as-saved problem of one node.
func unrunnable(id, name string, format string, args ...any) error {
	return &NodeError{NodeID: id, NodeName: name, Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrUnrunnable)}
}
